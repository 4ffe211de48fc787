import { compileGraph, type CompiledModel, type ProjectDocument } from '../../shared/graph';
import type { BackendName, EpochMetrics, ModelArtifacts, TrainerEvent } from '../../shared/api/trainer';
import type { TestMetrics } from '../../shared/metrics/types';
import { classificationMetrics, regressionMetrics } from '../../shared/metrics/evaluate';
import { createRng } from '../../shared/data/random';
import type { BackendNeeds } from './backends/setup';
import type { Engine } from './engines/engine';
import { startEngine } from './engines/start';
import type { TrainingData } from './trainingData';
import { applyInitialWeights, type InitialWeights } from './pretrained';
import { tf, type LayersModel } from './tf';

/** A failure the user can act on; `code` says which part of the run it came from. */
export class TrainingError extends Error {
  constructor(
    readonly code: 'nan' | 'data' | 'model' | 'backend',
    message: string,
    readonly epoch?: number,
  ) {
    super(message);
  }
}

export interface TrainOptions {
  runId: number;
  document: ProjectDocument;
  data: TrainingData;
  backend: BackendName;
  backendReason: string;
  emit: (event: TrainerEvent) => void;
  /** Polled between batches; true ends the run at the next batch with its figures kept. */
  shouldStop: () => boolean;
  batchEventIntervalMs?: number;
  /** Force an engine (tests and benchmarks); by default the fastest that can run the network. */
  engine?: Engine['name'];
  /** Threads to train on (1: one); by default as many as make this network faster. */
  threads?: number;
  /** The data-parallel replica script (tests); by default the bundled one. */
  replicaEntry?: string;
  /** Start from these trained weights for the blocks that match (same block id, same weight shapes). */
  initialWeights?: InitialWeights;
}

export type DoneEvent = Extract<TrainerEvent, { type: 'done' }>;

/** Gives the event loop a turn (so a stop message can arrive) at most this often. */
const YIELD_EVERY_MS = 50;
/** Streamed (image) data is handed to the engine in chunks of this many samples, never a whole epoch. */
const CHUNK_SAMPLES = 4096;

/** What the document's network asks of a backend, for `auto` to pick the fastest (backends/setup.ts). */
export function backendNeeds(doc: ProjectDocument, data: TrainingData): BackendNeeds {
  const compiled = compileGraph(doc.graph, {
    seed: doc.training.seed,
    ctx: {
      data: { inputShape: data.inputShape, classCount: data.classNames ? data.classNames.length : null },
    },
  });
  return {
    convolution: doc.graph.nodes.some((n) => n.kind === 'conv2d'),
    batchSize: doc.training.batchSize,
    ...(compiled.ok ? { parameters: compiled.model.params.total } : {}),
  };
}

/** Trains the document's network on the data with its settings; resolves with the `done` event. */
export async function trainNetwork(opts: TrainOptions): Promise<DoneEvent> {
  const { document: doc, data } = opts;
  const settings = doc.training;
  const compiled = compileGraph(doc.graph, {
    seed: settings.seed,
    ctx: {
      data: { inputShape: data.inputShape, classCount: data.classNames ? data.classNames.length : null },
    },
  });
  if (!compiled.ok)
    throw new TrainingError(
      'model',
      compiled.issues.map((i) => (i.nodeId ? `${i.nodeId}: ` : '') + i.message).join(' '),
    );
  const net = compiled.model;
  if (net.task !== data.task) {
    throw new TrainingError(
      'model',
      `The Output block is set to ${net.task} but the data was prepared for ${data.task}: set the Output's task to match.`,
    );
  }
  // tfjs draws dropout masks and initial weights from Math.random: seed it for the run, so that the
  // same seed on the same backend gives the same result.
  const restoreRandom = seedMathRandom(settings.seed);
  let started: Awaited<ReturnType<typeof startEngine>>;
  try {
    started = await startEngine(
      { net, settings },
      {
        backend: opts.backend,
        seed: settings.seed,
        ...(opts.engine ? { forced: opts.engine } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        ...(opts.replicaEntry ? { replicaEntry: opts.replicaEntry } : {}),
      },
    );
  } catch (error) {
    restoreRandom();
    throw error;
  }
  const { engine, note } = started;
  try {
    if (opts.initialWeights && applyInitialWeights(engine, net, opts.initialWeights).matched.length === 0) {
      throw new TrainingError(
        'model',
        `No block of this network matches ${opts.initialWeights.label} (same block id and weight shapes): start without its weights, or keep the ids of the blocks to reuse.`,
      );
    }
    return await runLoop(opts, net, engine, note);
  } finally {
    restoreRandom();
    engine.dispose();
  }
}

function gatherRows(
  source: Float32Array,
  width: number,
  order: Int32Array,
  from: number,
  to: number,
): Float32Array {
  const out = new Float32Array((to - from) * width);
  let o = 0;
  for (let i = from; i < to; i++) {
    const start = order[i]! * width;
    for (let k = 0; k < width; k++) out[o++] = source[start + k]!;
  }
  return out;
}

async function runLoop(
  opts: TrainOptions,
  net: CompiledModel,
  engine: Engine,
  engineNote: string,
): Promise<DoneEvent> {
  const { document: doc, data, runId, emit } = opts;
  const s = doc.training;
  const rng = createRng(s.seed ^ 0x5bd1e995);
  const metricName = net.task === 'regression' ? 'mae' : 'accuracy';
  const batchesPerEpoch = Math.ceil(data.trainCount / s.batchSize);
  const width = data.inputShape.reduce((a, b) => a * b, 1);
  const interval = opts.batchEventIntervalMs ?? 200;

  emit({
    type: 'started',
    runId,
    backend: opts.backend,
    backendReason: `${opts.backendReason}; ${engineNote}`,
    params: net.params.total,
    trainSamples: data.trainCount,
    testSamples: data.test.count,
    epochs: s.epochs,
    batchesPerEpoch,
  });

  const monitor = s.earlyStopping?.monitor ?? 'val_loss';
  const maximise = monitor === 'val_accuracy';
  let best = maximise ? -Infinity : Infinity;
  let bestEpoch: number | null = null;
  let bestWeights: Float32Array[] | null = null;
  let sinceBest = 0;
  let stopped = false;
  let lastBatchEvent = 0;
  let lastYield = Date.now();
  let epochsDone = 0;

  for (let epoch = 0; epoch < s.epochs && !stopped; epoch++) {
    const started = performance.now();
    const lr = learningRateFor(s, epoch);
    engine.setLearningRate(lr);
    const order = Int32Array.from({ length: data.trainCount }, (_, i) => i);
    if (s.shuffle) rng.shuffle(order);
    // Batches must not straddle chunks, so a chunk is a whole number of batches.
    const chunk = data.train
      ? data.trainCount
      : Math.max(s.batchSize, Math.floor(CHUNK_SAMPLES / s.batchSize) * s.batchSize);

    let lossSum = 0;
    let metricSum = 0;
    let seen = 0;
    let b = 0;
    for (let from = 0; from < data.trainCount && !stopped; from += chunk) {
      const to = Math.min(data.trainCount, from + chunk);
      if (data.train) {
        const identity = !s.shuffle;
        engine.loadSamples(
          identity ? data.train.x : gatherRows(data.train.x, width, order, from, to),
          identity ? data.train.y : gatherRows(data.train.y, 1, order, from, to),
          to - from,
        );
      } else {
        const batch = data.trainBatch!(order.subarray(from, to), epoch);
        engine.loadSamples(batch.x, batch.y, to - from);
      }
      for (let start = 0; start < to - from; start += s.batchSize, b++) {
        const size = Math.min(s.batchSize, to - from - start);
        const { loss, metric } = engine.trainBatch(start, size);
        if (!Number.isFinite(loss)) {
          engine.releaseSamples();
          throw new TrainingError(
            'nan',
            `The loss became ${Number.isNaN(loss) ? 'NaN' : 'infinite'} in epoch ${epoch + 1}: training diverged. Try a learning rate 10 times smaller (now ${lr}), standardise the features, or a smaller batch.`,
            epoch + 1,
          );
        }
        lossSum += loss * size;
        metricSum += metric * size;
        seen += size;
        const now = Date.now();
        if (now - lastBatchEvent >= interval) {
          lastBatchEvent = now;
          emit({ type: 'batch', runId, epoch: epoch + 1, batch: b + 1, batches: batchesPerEpoch, loss });
        }
        if (now - lastYield >= YIELD_EVERY_MS) {
          await new Promise<void>((r) => setImmediate(r));
          lastYield = Date.now();
        }
        if (opts.shouldStop()) {
          stopped = true;
          break;
        }
      }
      engine.releaseSamples();
    }
    if (stopped && seen < data.trainCount) break; // a partial epoch is not recorded

    const val = engine.evaluate(data.test.x, data.test.y, data.test.count);
    const metrics: EpochMetrics = {
      loss: lossSum / seen,
      val_loss: val.loss,
      [metricName]: metricSum / seen,
      [`val_${metricName}`]: val.metric,
    };
    const seconds = (performance.now() - started) / 1000;
    epochsDone = epoch + 1;
    emit({
      type: 'epoch',
      runId,
      epoch: epoch + 1,
      epochs: s.epochs,
      metrics,
      learningRate: lr,
      seconds,
      samplesPerSecond: seen / seconds,
    });
    if (!Number.isFinite(val.loss)) {
      throw new TrainingError(
        'nan',
        `The validation loss became ${Number.isNaN(val.loss) ? 'NaN' : 'infinite'} in epoch ${epoch + 1}: try a learning rate 10 times smaller (now ${lr}).`,
        epoch + 1,
      );
    }

    const value = metrics[monitor] ?? Number.NaN;
    const minDelta = s.earlyStopping?.minDelta ?? 0;
    if (maximise ? value > best + minDelta : value < best - minDelta) {
      best = value;
      bestEpoch = epoch + 1;
      sinceBest = 0;
      if (s.restoreBest) bestWeights = engine.snapshot();
    } else {
      sinceBest++;
      if (s.earlyStopping && sinceBest >= s.earlyStopping.patience) break;
    }
  }

  if (s.restoreBest && bestWeights) engine.restore(bestWeights);
  else bestEpoch = epochsDone > 0 ? epochsDone : null;

  const final = engine.evaluate(data.test.x, data.test.y, data.test.count);
  const test = testMetrics(final.outputs, data, net);
  const artifacts = await saveArtifacts(engine.toLayersModel());
  return {
    type: 'done',
    runId,
    status: stopped ? 'stopped' : 'completed',
    test: test.metrics,
    bestEpoch,
    backend: opts.backend,
    params: net.params.total,
    model: artifacts,
    predictions: test.predictions,
    preprocessing: data.preprocessing,
  };
}

function learningRateFor(s: ProjectDocument['training'], epochIndex: number): number {
  const schedule = s.lrSchedule;
  switch (schedule.kind) {
    case 'none':
      return s.learningRate;
    case 'step':
      // PyTorch's StepLR stepped once an epoch: epoch e (0-based) trains at lr × γ^⌊e / every⌋.
      return s.learningRate * Math.pow(schedule.gamma, Math.floor(epochIndex / schedule.every));
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Outputs as probabilities, whether the network ends in Sigmoid/Softmax or gives raw scores. */
export function outputProbabilities(outputs: Float32Array, net: CompiledModel): Float32Array {
  if (net.task === 'regression' || net.outputActivation !== 'linear') return outputs;
  if (net.task === 'binary') return outputs.map(sigmoid);
  const k = net.outputSize;
  const probs = new Float32Array(outputs.length);
  for (let i = 0; i < outputs.length; i += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, outputs[i + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += probs[i + c] = Math.exp(outputs[i + c]! - max);
    for (let c = 0; c < k; c++) probs[i + c]! /= sum;
  }
  return probs;
}

function testMetrics(
  outputs: Float32Array,
  data: TrainingData,
  net: CompiledModel,
): { metrics: TestMetrics; predictions: { yTrue: number[]; yPred: number[] } } {
  const yTrue = data.test.y;
  switch (net.task) {
    case 'regression':
      return {
        metrics: { task: 'regression', ...regressionMetrics(yTrue, outputs) },
        predictions: { yTrue: Array.from(yTrue), yPred: Array.from(outputs) },
      };
    case 'binary':
    case 'multiclass': {
      const probs = outputProbabilities(outputs, net);
      const metrics = classificationMetrics(yTrue, probs, data.classNames ?? [], net.task);
      const k = net.task === 'binary' ? 1 : net.outputSize;
      const yPred: number[] = [];
      for (let i = 0; i < yTrue.length; i++) {
        if (k === 1) yPred.push(probs[i]! >= 0.5 ? 1 : 0);
        else {
          let arg = 0;
          for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + arg]!) arg = c;
          yPred.push(arg);
        }
      }
      return { metrics: { task: net.task, ...metrics }, predictions: { yTrue: Array.from(yTrue), yPred } };
    }
  }
}

async function saveArtifacts(model: LayersModel): Promise<ModelArtifacts> {
  let saved: ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const weightData =
        a.weightData instanceof ArrayBuffer
          ? a.weightData
          : tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer[]);
      saved = {
        modelTopology: a.modelTopology,
        weightSpecs: (a.weightSpecs ?? []).map((w) => ({
          name: w.name,
          shape: [...w.shape],
          dtype: w.dtype,
        })),
        weightData,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

function seedMathRandom(seed: number): () => void {
  const original = Math.random;
  const rng = createRng(seed);
  Math.random = () => rng.next();
  return () => {
    Math.random = original;
  };
}
