// Transfer learning: a user's TensorFlow.js layers model as a block, and a run's trained weights as a start.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { CompiledModel } from '../../shared/graph';
import type { ModelArtifacts } from '../../shared/api/trainer';
import { openStorageReadOnly } from '../services/storage';
import type { Engine } from './engines/engine';
import { tf, type LayersModel } from './tf';

/** A pretrained-model folder or a run's weights that cannot be used; the message is for the user. */
export class PretrainedModelError extends Error {
  override readonly name = 'PretrainedModelError';
}

/** What the host stores in a Pretrained model block's params when the user picks the folder. */
export interface PretrainedModelInfo {
  inputShape: number[];
  outputShape: number[];
  params: number;
  /** Parameters that learn when the block is fine-tuned (BatchNorm statistics never do). */
  trainableParams: number;
}

const weightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)),
  dtype: z.enum(['float32', 'int32', 'bool']),
  quantization: z.unknown().optional(),
});

const modelJsonSchema = z.object({
  format: z.string().optional(),
  modelTopology: z.object({ class_name: z.string() }).loose(),
  weightsManifest: z.array(
    z.object({ paths: z.array(z.string().min(1)), weights: z.array(weightSpecSchema) }),
  ),
});

/** A layers model as read from a folder: topology (Keras JSON) plus the weights of every shard, joined. */
export interface LayersModelFiles {
  modelTopology: Record<string, unknown>;
  weightSpecs: z.infer<typeof weightSpecSchema>[];
  weightData: ArrayBuffer;
}

/** Reads a tfjs layers model folder (model.json + weight shards) without building it; throws PretrainedModelError. */
export function readLayersModelFolder(dir: string): LayersModelFiles {
  const name = basename(dir) || dir;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PretrainedModelError(`${dir} is not a folder: choose the folder that holds model.json.`);
  const jsonPath = resolve(dir, 'model.json');
  if (!existsSync(jsonPath))
    throw new PretrainedModelError(
      `The folder ${name} has no model.json: choose the folder of a TensorFlow.js layers model.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch {
    throw new PretrainedModelError(
      `The model.json in ${name} is not valid JSON: export or convert the model again.`,
    );
  }
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const topology = record.modelTopology as Record<string, unknown> | undefined;
  if (record.format === 'graph-model' || (topology && 'node' in topology)) {
    throw new PretrainedModelError(
      `The model in ${name} is a TensorFlow.js graph model, which cannot be trained on: convert it with tensorflowjs_converter --output_format tfjs_layers_model.`,
    );
  }
  const parsed = modelJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new PretrainedModelError(
      `The model.json in ${name} is not a TensorFlow.js layers model (it needs modelTopology and weightsManifest): choose a folder saved with model.save() or converted with tensorflowjs_converter.`,
    );
  }
  const parts: Uint8Array[] = [];
  for (const group of parsed.data.weightsManifest) {
    for (const file of group.paths) {
      const path = resolve(dir, file);
      const inside = relative(resolve(dir), path);
      if (inside.startsWith('..') || isAbsolute(inside))
        throw new PretrainedModelError(
          `The model.json in ${name} names a weight file outside its folder (${file}).`,
        );
      if (!existsSync(path))
        throw new PretrainedModelError(
          `The weight file ${file} that model.json names is missing from ${name}: copy the whole model folder.`,
        );
      parts.push(readFileSync(path));
    }
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    weightData.set(p, offset);
    offset += p.byteLength;
  }
  return {
    modelTopology: parsed.data.modelTopology as Record<string, unknown>,
    weightSpecs: parsed.data.weightsManifest.flatMap((g) => g.weights),
    weightData: weightData.buffer,
  };
}

/** tfjs-layers' convertPythonicToTs (not exported by the package): Keras JSON keys and enum values to camelCase. */
export function pythonicToTs(value: unknown, key?: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return toCamelCase(value);
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      (key === 'inboundNodes' || key === 'outputLayers' || key === 'inputLayers') &&
      i === 0 &&
      typeof item === 'string'
        ? item
        : pythonicToTs(item, key),
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'name' && typeof v === 'string') out[k] = v;
    else {
      const tsKey = toCamelCase(k);
      out[tsKey] = pythonicToTs(v, tsKey);
    }
  }
  return out;
}

function toCamelCase(identifier: string): string {
  if (identifier.length <= 1 || !identifier.includes('_')) return identifier;
  return identifier.replace(/[_]+(\w|$)/g, (_m, p1: string) => p1.toUpperCase());
}

type Json = Record<string, unknown>;

/** Inner layer names of a nested model get the block's prefix (`prefix.name`), so they cannot clash with the outer network's. */
export function prefixedTopology(topology: Json, prefix: string): Json {
  const copy = structuredClone(topology);
  const config = copy.config as Json | Json[] | undefined;
  const rename = (n: unknown) => (typeof n === 'string' ? `${prefix}.${n}` : n);
  const layers = Array.isArray(config) ? config : ((config?.layers as Json[] | undefined) ?? []);
  const renameRef = (ref: unknown) => {
    if (Array.isArray(ref) && typeof ref[0] === 'string') ref[0] = rename(ref[0]);
  };
  for (const layer of layers) {
    if (typeof layer.name === 'string') layer.name = rename(layer.name);
    const inner = layer.config as Json | undefined;
    if (inner && typeof inner.name === 'string') inner.name = rename(inner.name);
    for (const node of (layer.inbound_nodes as unknown[][] | undefined) ?? []) node.forEach(renameRef);
  }
  if (config && !Array.isArray(config)) {
    config.name = prefix;
    for (const key of ['input_layers', 'output_layers'])
      ((config[key] as unknown[] | undefined) ?? []).forEach(renameRef);
  }
  return copy;
}

type FromConfig = (cls: unknown, config: unknown) => LayersModel;

/**
 * Builds the model synchronously (tf.loadLayersModel is async, and the trainer builds networks
 * synchronously) and loads its weights. With `prefix`, inner layers and weights are renamed `prefix.name`.
 */
export function buildLayersModel(files: LayersModelFiles, label: string, prefix?: string): LayersModel {
  const topology = (files.modelTopology.model_config as Json | undefined) ?? files.modelTopology;
  const className = String(topology.class_name);
  const registry = (
    tf.serialization.SerializationMap.getMap() as unknown as {
      classNameMap: Record<string, [unknown, FromConfig] | undefined>;
    }
  ).classNameMap;
  const entry = registry[className];
  if (!entry || !['Sequential', 'Model', 'Functional'].includes(className)) {
    throw new PretrainedModelError(
      `The model in ${label} is a ${className}, not a Sequential or functional model.`,
    );
  }
  const ts = pythonicToTs(prefix ? prefixedTopology(topology, prefix) : topology) as Json;
  let model: LayersModel;
  try {
    model = entry[1](entry[0], ts.config);
  } catch (error) {
    throw new PretrainedModelError(
      `The model in ${label} uses something TensorFlow.js cannot build (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const named = tf.io.decodeWeights(files.weightData, files.weightSpecs as never);
  try {
    const values: Record<string, (typeof named)[string]> = {};
    for (const [name, tensor] of Object.entries(named)) values[prefix ? `${prefix}.${name}` : name] = tensor;
    const missing = model.weights.filter((w) => !(w.originalName in values)).map((w) => w.originalName);
    if (missing.length > 0) {
      model.dispose();
      throw new PretrainedModelError(
        `The weights in ${label} do not fit its model.json (${missing.length} missing, such as ${missing[0]!.replace(`${prefix}.`, '')}): export the model again.`,
      );
    }
    try {
      model.loadWeights(values, false);
    } catch (error) {
      model.dispose();
      throw new PretrainedModelError(
        `The weights in ${label} do not fit its model.json (${error instanceof Error ? error.message : String(error)}): export the model again.`,
      );
    }
  } finally {
    tf.dispose(Object.values(named));
  }
  return model;
}

function fixedShape(shape: (number | null)[] | (number | null)[][], what: string, label: string): number[] {
  if (Array.isArray(shape[0]))
    throw new PretrainedModelError(`The model in ${label} has several ${what}s: use a model with one.`);
  const dims = (shape as (number | null)[]).slice(1);
  if (dims.some((d) => d === null || d < 1)) {
    throw new PretrainedModelError(
      `The model in ${label} has no fixed ${what} size (${dims.map((d) => d ?? '?').join('×')}): save it with a fixed ${what} shape.`,
    );
  }
  if (dims.length !== 1 && dims.length !== 3) {
    throw new PretrainedModelError(
      `The model in ${label} has a ${dims.length}-dimensional ${what}: blocks take a flat row or an image (height×width×channels).`,
    );
  }
  return dims as number[];
}

function infoOf(model: LayersModel, label: string): PretrainedModelInfo {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new PretrainedModelError(
      `The model in ${label} has several inputs or outputs: use a model with one of each.`,
    );
  const size = (ws: { shape: readonly (number | null)[] }[]) =>
    ws.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
  return {
    inputShape: fixedShape(model.inputs[0]!.shape, 'input', label),
    outputShape: fixedShape(model.outputs[0]!.shape, 'output', label),
    params: size(model.weights),
    trainableParams: size(model.trainableWeights),
  };
}

/** Reads a layers-model folder and says what the block needs to know, or throws a PretrainedModelError. */
export async function inspectPretrainedModel(dir: string): Promise<PretrainedModelInfo> {
  const files = readLayersModelFolder(dir);
  const model = buildLayersModel(files, basename(dir) || dir);
  try {
    return infoOf(model, basename(dir) || dir);
  } finally {
    model.dispose();
  }
}

const pretrainedLayerSchema = z.object({
  name: z.string(),
  path: z.string(),
  fineTune: z.boolean(),
  trainable: z.boolean().default(true),
  inputShape: z.array(z.number()).nullable(),
  outputShape: z.array(z.number()).nullable(),
});

const sameShape = (a: readonly number[] | null, b: readonly number[]) =>
  a !== null && a.length === b.length && a.every((d, i) => d === b[i]);

/** The compiler's `Pretrained` layer config as a nested tfjs model: frozen unless fine-tuned (and the block not frozen). */
export function loadPretrainedLayer(config: unknown): LayersModel {
  const c = pretrainedLayerSchema.parse(config);
  const dir = resolve(c.path);
  const label = basename(dir) || dir;
  const model = buildLayersModel(readLayersModelFolder(dir), label, c.name);
  const info = infoOf(model, label);
  if (!sameShape(c.inputShape, info.inputShape) || !sameShape(c.outputShape, info.outputShape)) {
    model.dispose();
    throw new PretrainedModelError(
      `The model in ${label} has changed since it was chosen (it now takes ${info.inputShape.join('×')} and gives ${info.outputShape.join('×')}): choose its folder again.`,
    );
  }
  if (!c.fineTune || !c.trainable) model.trainable = false;
  return model;
}

/** Trained weights to start a run from: another run's model, by tfjs weight name. */
export interface InitialWeights {
  /** Where they come from, for messages ("run 12"). */
  label: string;
  weightSpecs: ModelArtifacts['weightSpecs'];
  weightData: ArrayBuffer;
}

/** A stored run's trained weights, read over a read-only connection (the trainer never writes). */
export function readRunWeights(dbPath: string, runId: number): InitialWeights {
  const storage = openStorageReadOnly(dbPath);
  try {
    const model = storage.getRunModel(runId);
    if (!model)
      throw new PretrainedModelError(
        `Run ${runId} has no trained model to start from: choose a run that completed or was stopped.`,
      );
    return { label: `run ${runId}`, ...model.artifacts };
  } finally {
    storage.close();
  }
}

function float32Weights(source: InitialWeights): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const spec of source.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = size * (spec.dtype === 'bool' ? 1 : 4);
    if (spec.dtype === 'float32' && offset + bytes <= source.weightData.byteLength) {
      out.set(spec.name, {
        shape: spec.shape,
        values: new Float32Array(source.weightData.slice(offset, offset + bytes)),
      });
    }
    offset += bytes;
  }
  return out;
}

/** Which blocks took the source's weights, and which kept their own start because nothing fitted. */
export interface InitialWeightsResult {
  matched: string[];
  unmatched: string[];
}

/**
 * Copies the source's weights into the engine for every block whose weights all have a namesake of the
 * same shape (block ids name the tfjs layers, so a block matches by id and shapes).
 */
export function applyInitialWeights(
  engine: Engine,
  net: CompiledModel,
  source: InitialWeights,
): InitialWeightsResult {
  const model = engine.toLayersModel();
  const names = model.weights.map((w) => w.originalName);
  const shapes = model.weights.map((w) => w.shape.map((d) => d ?? 0));
  const current = engine.snapshot();
  if (
    current.length !== names.length ||
    current.some((w, i) => w.length !== shapes[i]!.reduce((a, b) => a * b, 1))
  )
    throw new Error('The engine’s weights are not in the order of its model’s.');
  const given = float32Weights(source);
  const result: InitialWeightsResult = { matched: [], unmatched: [] };
  for (const block of net.blockLayers) {
    const mine = names
      .map((name, i) => ({ name, i }))
      .filter(({ name }) =>
        block.layerNames.some((l) => name.startsWith(`${l}/`) || name.startsWith(`${l}.`)),
      );
    if (mine.length === 0) continue;
    const fits = mine.every(({ name, i }) => {
      const g = given.get(name);
      return (
        g !== undefined &&
        g.shape.length === shapes[i]!.length &&
        g.shape.every((d, k) => d === shapes[i]![k])
      );
    });
    if (!fits) {
      result.unmatched.push(block.nodeId);
      continue;
    }
    for (const { name, i } of mine) current[i] = given.get(name)!.values.slice();
    result.matched.push(block.nodeId);
  }
  engine.restore(current);
  return result;
}
