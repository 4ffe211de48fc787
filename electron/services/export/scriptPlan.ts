import { isAbsolute, resolve } from 'node:path';
import type { LayerConfig } from '../../../shared/blocks';
import type { CompiledModel } from '../../../shared/graph';
import type { ModelArtifacts } from '../../../shared/api/trainer';
import {
  PretrainedModelError,
  prefixedTopology,
  pythonicToTs,
  readLayersModelFolder,
} from '../../trainer/pretrained';
import { tf } from '../../trainer/tf';
import { ExportError } from './errors';
import { planLayers, type NetworkPlan } from './networkPlan';

type Json = Record<string, unknown>;

/** Where the weights of Pretrained blocks come from when there is no run: their folders. */
export interface PlannedNetwork {
  plan: NetworkPlan;
  /** The Pretrained blocks' own weights (tfjs names, prefixed as in a run), for an export without a run. */
  pretrainedWeights: Pick<ModelArtifacts, 'weightSpecs' | 'weightData'> | null;
}

function nestedFromTopology(topology: unknown, name: string): LayerConfig | undefined {
  const layers = ((topology as Json | null)?.config as Json | undefined)?.layers;
  if (!Array.isArray(layers)) return undefined;
  const found = (layers as Json[]).find((l) => (l.config as Json | undefined)?.name === name);
  return found ? (pythonicToTs(found) as LayerConfig) : undefined;
}

function layersOf(nested: LayerConfig, label: string): LayerConfig[] {
  const layers = (nested.config as { layers?: unknown }).layers;
  if (nested.className !== 'Sequential' || !Array.isArray(layers)) {
    throw new ExportError(
      `The pretrained model ${label} is a ${nested.className} with branches; the script export writes only a straight chain of layers: export the trained model (TensorFlow.js format) instead.`,
    );
  }
  return layers as LayerConfig[];
}

/**
 * The export plan of a compiled network. Pretrained blocks are read from the run's stored topology
 * when there is one (exactly what was trained), else from their folders (paths relative to `baseDir`).
 */
export function planNetwork(
  net: CompiledModel,
  options: { runTopology?: unknown; baseDir?: string } = {},
): PlannedNetwork {
  const specs: ModelArtifacts['weightSpecs'] = [];
  const buffers: Uint8Array[] = [];
  const plan = planLayers(net.layers, net.inputShape, (layer) => {
    const c = layer.config as { name: string; path: string; fineTune: boolean; trainable?: boolean };
    const frozen = !c.fineTune || c.trainable === false;
    const stored =
      options.runTopology !== undefined ? nestedFromTopology(options.runTopology, c.name) : undefined;
    if (stored) return { layers: layersOf(stored, c.path), frozen };
    const dir = isAbsolute(c.path) ? c.path : resolve(options.baseDir ?? process.cwd(), c.path);
    let files;
    try {
      files = readLayersModelFolder(dir);
    } catch (error) {
      if (error instanceof PretrainedModelError) throw new ExportError(error.message);
      throw error;
    }
    const nested = pythonicToTs(prefixedTopology(files.modelTopology, c.name)) as LayerConfig;
    // Decoded by tfjs, so quantised or int weights arrive as plain float32 like a run's.
    const decoded = tf.io.decodeWeights(files.weightData, files.weightSpecs as never);
    for (const spec of files.weightSpecs) {
      const tensor = decoded[spec.name]!;
      specs.push({ name: `${c.name}.${spec.name}`, shape: spec.shape, dtype: 'float32' });
      buffers.push(new Uint8Array(Float32Array.from(tensor.dataSync()).buffer));
    }
    tf.dispose(Object.values(decoded));
    return { layers: layersOf(nested, c.path), frozen };
  });
  if (buffers.length === 0) return { plan, pretrainedWeights: null };
  const data = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    data.set(b, offset);
    offset += b.byteLength;
  }
  return { plan, pretrainedWeights: { weightSpecs: specs, weightData: data.buffer } };
}
