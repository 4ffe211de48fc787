// Throughput the way `nwb train` gets it: the preset's network compiled by the block compiler, on the
// `auto` backend, with the engine and thread count the trainer picks (engines/start.ts). The other
// bench sessions (measure.ts) time a bare tfjs model; this one times the product.
import { compileGraph, type CompiledModel, type TrainingSettings } from '../shared/graph';
import { findPreset } from '../electron/services/presets';
import { initBackend } from '../electron/trainer/backends/setup';
import type { Engine } from '../electron/trainer/engines/engine';
import { startEngine } from '../electron/trainer/engines/start';
import { tf } from '../electron/trainer/tf';
import type { EpochPlan } from './measure';
import type { NetworkId, NetworkSpec } from './networks';

const PRESETS: Record<NetworkId, string> = {
  'housing-b10': 'california-housing-mlp',
  'housing-b64': 'california-housing-mlp',
  'wine-b64': 'wine-type-ann',
  'cifar-b32': 'cifar10-convnet',
};

function compiled(spec: NetworkSpec): { net: CompiledModel; settings: TrainingSettings } {
  const preset = findPreset(PRESETS[spec.id]);
  if (!preset) throw new Error(`the preset ${PRESETS[spec.id]} is missing`);
  const doc = preset.document;
  const result = compileGraph(doc.graph, {
    seed: 1,
    ctx: {
      data: { inputShape: spec.inputShape, classCount: spec.targetSize > 1 ? spec.targetSize : null },
    },
  });
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join(' '));
  // The bench's own optimiser and batch, so every engine does the same work.
  const settings = { ...doc.training, optimizer: 'adam' as const, learningRate: 1e-3, batchSize: spec.batch };
  return { net: result.model, settings };
}

/** Rows of the spec's data as the engines take them: flat features, and class indices (not one-hot). */
function arrays(spec: NetworkSpec, count: number): { x: Float32Array; y: Float32Array } {
  const { x, y } = spec.data(count);
  const xs = x.dataSync() as Float32Array;
  const ys =
    spec.targetSize > 1
      ? Float32Array.from(tf.tidy(() => tf.argMax(y, -1)).dataSync())
      : (y.dataSync() as Float32Array);
  tf.dispose([x, y]);
  return { x: xs.slice(), y: ys.slice() };
}

export class TrainerSession {
  private engine: Engine | null = null;
  private x: Float32Array = new Float32Array(0);
  private y: Float32Array = new Float32Array(0);
  private steps = 1;
  /** The backend, engine and threads the trainer chose, in its words. */
  detail = '';

  constructor(readonly spec: NetworkSpec) {}

  async prepare(plan: EpochPlan): Promise<{ trainSteps: number; inferSteps: number }> {
    const { net, settings } = compiled(this.spec);
    const backend = await initBackend('auto', {
      convolution: net.blockLayers.some((b) => b.kind === 'conv2d'),
      batchSize: settings.batchSize,
      parameters: net.params.total,
    });
    const { engine, note } = await startEngine({ net, settings }, { backend: backend.name, seed: 1 });
    this.engine = engine;
    this.detail = `${backend.name}, ${note}`;
    const b = this.spec.batch;
    // Warm-up: a few steps, then size an epoch to the plan from their pace.
    const warm = arrays(this.spec, b * 3);
    engine.loadSamples(warm.x, warm.y, b * 3);
    engine.trainBatch(0, b);
    const started = performance.now();
    engine.trainBatch(b, b);
    engine.trainBatch(2 * b, b);
    const step = (performance.now() - started) / 2000;
    engine.releaseSamples();
    this.steps = Math.max(2, Math.min(plan.maxSteps, Math.round(plan.seconds / Math.max(step, 1e-6))));
    const data = arrays(this.spec, this.steps * b);
    this.x = data.x;
    this.y = data.y;
    return { trainSteps: this.steps, inferSteps: 1 };
  }

  /** One epoch of training: the samples loaded once, then a step per batch, as train.ts does. */
  trainEpoch(): number {
    const engine = this.engine!;
    const b = this.spec.batch;
    const started = performance.now();
    engine.loadSamples(this.x, this.y, this.steps * b);
    for (let s = 0; s < this.steps; s++) {
      const { loss } = engine.trainBatch(s * b, b);
      if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss}`);
    }
    engine.releaseSamples();
    return (this.steps * b) / ((performance.now() - started) / 1000);
  }

  /** Evaluation of the same samples (training off), as the trainer's per-epoch test pass. */
  inferEpoch(): number {
    const started = performance.now();
    this.engine!.evaluate(this.x, this.y, this.steps * this.spec.batch);
    return (this.steps * this.spec.batch) / ((performance.now() - started) / 1000);
  }

  dispose(): void {
    this.engine?.dispose();
    this.engine = null;
  }
}
