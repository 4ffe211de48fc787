import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileGraph,
  sequentialGraph,
  trainingSettingsSchema,
  type ChainBlock,
  type CompiledModel,
  type TrainingSettings,
} from '../../shared/graph';
import type { Task } from '../../shared/data/types';
import { createRng } from '../../shared/data/random';
import { chooseEngine, denseEngineSupports } from '../../electron/trainer/engines/choose';
import { createDenseEngine } from '../../electron/trainer/engines/denseEngine';
import { createLayersEngine } from '../../electron/trainer/engines/layersEngine';
import type { Engine, EngineSpec } from '../../electron/trainer/engines/engine';
import { tf, type LayersModel, type Tensor } from '../../electron/trainer/tf';
import { withSeededRandom } from './seededRandom';

// Tolerances, float32 throughout. Both engines compute the same tfjs formulas; they differ only in the
// order of float32 roundings (sums, fused steps), measured at ~5e-7 relative after 30 steps.
const LOSS_RTOL = 1e-4;
/** Weights: |dense − layers| ≤ W_ATOL + W_RTOL·|layers|. */
const W_RTOL = 1e-4;
const W_ATOL = 1e-5;

const FEATURES = 5;

function compile(blocks: ChainBlock[]): CompiledModel {
  const result = compileGraph(sequentialGraph(blocks), { seed: 7 });
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join(' '));
  return result.model;
}

const input = (features = FEATURES): ChainBlock => ({
  kind: 'input',
  params: { dataKind: 'tabular', features },
});
const dense = (units: number, extra: Record<string, unknown> = {}, frozen = false): ChainBlock => ({
  kind: 'dense',
  params: { units, ...extra },
  frozen,
});
const output = (task: Task, loss: string): ChainBlock => ({ kind: 'output', params: { task, loss } });

function settings(overrides: Partial<TrainingSettings>): TrainingSettings {
  return trainingSettingsSchema.parse(overrides);
}

/** Rows of features in [-1, 1) and a target each: a number, 0/1, or a class index below `classes`. */
function dataset(
  task: Task,
  count: number,
  seed: number,
  classes = 3,
): { x: Float32Array; y: Float32Array; count: number } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: count * FEATURES }, () => rng.next() * 2 - 1);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const a = x[i * FEATURES]!;
    const b = x[i * FEATURES + 1]!;
    if (task === 'regression') y[i] = a - 0.5 * b + 0.1 * rng.next();
    else if (task === 'binary') y[i] = a + 0.3 * b > 0 ? 1 : 0;
    else y[i] = Math.min(classes - 1, Math.floor(((a + 1) / 2) * classes));
  }
  return { x, y, count };
}

function denseLayerWeights(model: LayersModel, net: CompiledModel): Float32Array[] {
  return net.layers
    .filter((l) => l.className === 'Dense')
    .flatMap((l) => model.getLayer(String(l.config['name'])).getWeights())
    .map((t) => (t.dataSync() as Float32Array).slice());
}

interface Run {
  losses: number[];
  metrics: number[];
  weights: Float32Array[];
  evaluation: ReturnType<Engine['evaluate']>;
}

/** `steps` batches cycling over the data (the last batch of a pass may be short), then an evaluation. */
function run(
  create: (spec: EngineSpec) => Engine,
  net: CompiledModel,
  s: TrainingSettings,
  data: ReturnType<typeof dataset>,
  steps: number,
  lrAt?: { step: number; lr: number },
): Run {
  return withSeededRandom(99, () => {
    const engine = create({ net, settings: s });
    try {
      engine.loadSamples(data.x, data.y, data.count);
      const losses: number[] = [];
      const metrics: number[] = [];
      let start = 0;
      for (let t = 0; t < steps; t++) {
        if (lrAt && t === lrAt.step) engine.setLearningRate(lrAt.lr);
        const size = Math.min(s.batchSize, data.count - start);
        const r = engine.trainBatch(start, size);
        losses.push(r.loss);
        metrics.push(r.metric);
        start = start + size >= data.count ? 0 : start + size;
      }
      engine.releaseSamples();
      const evaluation = engine.evaluate(data.x, data.y, data.count);
      const weights = engine.snapshot();
      // The exported model holds exactly the engine's weights, in the snapshot's order.
      const exported = engine
        .toLayersModel()
        .getWeights()
        .map((t) => t.dataSync() as Float32Array);
      expect(exported).toEqual(weights);
      return { losses, metrics, evaluation, weights };
    } finally {
      engine.dispose();
    }
  });
}

function expectClose(actual: number, expected: number, rtol: number, what: string): void {
  const err = Math.abs(actual - expected);
  if (!(err <= rtol * Math.max(Math.abs(expected), 1e-6))) {
    throw new Error(`${what}: dense ${actual} vs layers ${expected} (relative ${err / Math.abs(expected)})`);
  }
}

/** Network outputs: near zero a relative bound means nothing, so an absolute floor of 1e-6. */
function expectOutputsClose(actual: Float32Array, expected: Float32Array, rtol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => {
    const e = expected[i]!;
    if (!(Math.abs(v - e) <= 1e-6 + rtol * Math.abs(e))) throw new Error(`output ${i}: ${v} vs ${e}`);
  });
}

function expectSameRun(a: Run, b: Run): void {
  expect(a.losses.length).toBe(b.losses.length);
  a.losses.forEach((l, i) => expectClose(l, b.losses[i]!, LOSS_RTOL, `loss at step ${i + 1}`));
  a.metrics.forEach((m, i) => expectClose(m, b.metrics[i]!, LOSS_RTOL, `metric at step ${i + 1}`));
  expect(a.weights.length).toBe(b.weights.length);
  a.weights.forEach((w, l) => {
    expect(w.length).toBe(b.weights[l]!.length);
    w.forEach((v, i) => {
      const e = b.weights[l]![i]!;
      if (!(Math.abs(v - e) <= W_ATOL + W_RTOL * Math.abs(e)))
        throw new Error(`weight ${l}[${i}]: dense ${v} vs layers ${e}`);
    });
  });
  expectClose(a.evaluation.loss, b.evaluation.loss, LOSS_RTOL, 'evaluation loss');
  expectClose(a.evaluation.metric, b.evaluation.metric, LOSS_RTOL, 'evaluation metric');
  expectOutputsClose(a.evaluation.outputs, b.evaluation.outputs, 1e-4);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dense engine against the layers engine (tfjs cpu), same seed and batches', () => {
  const cases: {
    name: string;
    blocks: ChainBlock[];
    task: Task;
    s: Partial<TrainingSettings>;
    lrAt?: { step: number; lr: number };
  }[] = [
    {
      name: 'ReLU MLP, MSE, Adam (the housing preset’s recipe)',
      blocks: [
        input(),
        dense(24),
        { kind: 'relu' },
        dense(12),
        { kind: 'relu' },
        dense(6),
        { kind: 'relu' },
        dense(1),
        output('regression', 'mse'),
      ],
      task: 'regression',
      s: { optimizer: 'adam', learningRate: 0.01, batchSize: 10 },
    },
    {
      name: 'ReLU on the inputs, after a Dropout and at the output (not fused with a Dense), MSE, SGD',
      blocks: [
        input(),
        { kind: 'relu' },
        dense(8),
        { kind: 'dropout', params: { rate: 0.25 } },
        { kind: 'relu' },
        dense(6),
        { kind: 'relu' },
        dense(1),
        { kind: 'relu' },
        output('regression', 'mse'),
      ],
      task: 'regression',
      s: { optimizer: 'sgd', learningRate: 0.05, batchSize: 9 },
    },
    {
      name: 'Tanh, MAE, plain SGD with a learning-rate change',
      blocks: [input(), dense(6), { kind: 'tanh' }, dense(1), output('regression', 'mae')],
      task: 'regression',
      s: { optimizer: 'sgd', learningRate: 0.05, batchSize: 16 },
      lrAt: { step: 15, lr: 0.01 },
    },
    {
      name: 'LeakyReLU and ELU, Huber, momentum, weight decay',
      blocks: [
        input(),
        dense(7),
        { kind: 'leakyrelu', params: { slope: 0.1 } },
        dense(5),
        { kind: 'elu' },
        dense(1),
        output('regression', 'huber'),
      ],
      task: 'regression',
      s: { optimizer: 'momentum', learningRate: 0.1, momentum: 0.8, batchSize: 12, weightDecay: 0.01 },
    },
    {
      name: 'Sigmoid output, BCE on probabilities, RMSprop',
      blocks: [input(), dense(8), { kind: 'relu' }, dense(1), { kind: 'sigmoid' }, output('binary', 'bce')],
      task: 'binary',
      s: { optimizer: 'rmsprop', learningRate: 0.01, batchSize: 16 },
    },
    {
      name: 'Sigmoid hidden layer, BCE on logits, Adagrad',
      blocks: [input(), dense(8), { kind: 'sigmoid' }, dense(1), output('binary', 'bce')],
      task: 'binary',
      s: { optimizer: 'adagrad', learningRate: 0.1, batchSize: 16 },
    },
    {
      name: 'Softmax output, CCE on probabilities, Adam with weight decay',
      blocks: [
        input(),
        dense(9),
        { kind: 'relu' },
        dense(3),
        { kind: 'softmax' },
        output('multiclass', 'cce'),
      ],
      task: 'multiclass',
      s: { optimizer: 'adam', learningRate: 0.02, batchSize: 16, weightDecay: 0.001 },
    },
    {
      name: 'CCE on logits, no bias, a frozen hidden layer, momentum',
      blocks: [
        input(),
        dense(8),
        { kind: 'tanh' },
        dense(6, {}, true),
        { kind: 'relu' },
        dense(3, { bias: false }),
        output('multiclass', 'cce'),
      ],
      task: 'multiclass',
      s: { optimizer: 'momentum', learningRate: 0.05, batchSize: 10, weightDecay: 0.005 },
    },
    {
      name: 'Dropout (the same masks as tf.dropout from the same seed), SGD',
      blocks: [
        input(),
        dense(16),
        { kind: 'relu' },
        { kind: 'dropout', params: { rate: 0.3 } },
        dense(8),
        { kind: 'relu' },
        { kind: 'dropout', params: { rate: 0.5 } },
        dense(3),
        output('multiclass', 'cce'),
      ],
      task: 'multiclass',
      s: { optimizer: 'sgd', learningRate: 0.1, batchSize: 16 },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const net = compile(c.blocks);
      expect(denseEngineSupports(net)).toBe(true);
      const s = settings(c.s);
      const data = dataset(c.task, 70, 3);
      const a = run(createDenseEngine, net, s, data, 30, c.lrAt);
      const b = run(createLayersEngine, net, s, data, 30, c.lrAt);
      expectSameRun(a, b);
      // The comparison means something only if training moved the loss.
      expect(Math.abs(a.losses[0]! - a.losses[a.losses.length - 1]!)).toBeGreaterThan(1e-3);
    });
  }

  it('evaluates more rows than its buffers hold (chunked) exactly as the layers engine', () => {
    const net = compile([
      input(),
      dense(10),
      { kind: 'elu' },
      dense(3),
      { kind: 'softmax' },
      output('multiclass', 'cce'),
    ]);
    const s = settings({ batchSize: 8 });
    const data = dataset('multiclass', 1100, 5);
    const evaluate = (create: (spec: EngineSpec) => Engine) =>
      withSeededRandom(1, () => {
        const engine = create({ net, settings: s });
        try {
          return engine.evaluate(data.x, data.y, data.count);
        } finally {
          engine.dispose();
        }
      });
    const a = evaluate(createDenseEngine);
    const b = evaluate(createLayersEngine);
    expectClose(a.loss, b.loss, LOSS_RTOL, 'loss');
    expectClose(a.metric, b.metric, LOSS_RTOL, 'accuracy');
    expect(a.outputs.length).toBe(1100 * 3);
    expectOutputsClose(a.outputs, b.outputs, 1e-5);
  });
});

describe('dense engine state', () => {
  const net = compile([
    input(),
    { ...dense(6, {}, true), id: 'frozen' },
    { kind: 'relu' },
    dense(4),
    { kind: 'tanh' },
    dense(1),
    output('regression', 'mse'),
  ]);
  const s = settings({ optimizer: 'adam', learningRate: 0.05, batchSize: 8 });
  const data = dataset('regression', 64, 9);

  const trainSome = (engine: Engine, steps: number) => {
    for (let t = 0; t < steps; t++) engine.trainBatch((t * 8) % 64, 8);
  };

  it('restores a snapshot exactly, and keeps frozen layers unchanged', () => {
    withSeededRandom(4, () => {
      const engine = createDenseEngine({ net, settings: s });
      try {
        engine.loadSamples(data.x, data.y, data.count);
        const initial = engine.snapshot();
        trainSome(engine, 20);
        const saved = engine.snapshot();
        const savedEval = engine.evaluate(data.x, data.y, data.count);
        // Snapshots follow model.weights (trainable first, frozen last), as the layers engine's do.
        const names = engine.toLayersModel().weights.map((w) => w.originalName);
        expect(names.slice(-2)).toEqual(['b_frozen/kernel', 'b_frozen/bias']);
        expect(saved.map((w) => w.length)).toEqual([24, 4, 4, 1, 30, 6]);
        // The frozen first layer (kernel and bias) did not move; the layers after it did.
        expect(saved[4]).toEqual(initial[4]);
        expect(saved[5]).toEqual(initial[5]);
        expect(saved[0]).not.toEqual(initial[0]);
        expect(saved[2]).not.toEqual(initial[2]);
        trainSome(engine, 20);
        expect(engine.evaluate(data.x, data.y, data.count).loss).not.toBe(savedEval.loss);
        engine.restore(saved);
        expect(engine.snapshot()).toEqual(saved);
        const restored = engine.evaluate(data.x, data.y, data.count);
        expect(restored.loss).toBe(savedEval.loss);
        expect(restored.outputs).toEqual(savedEval.outputs);
        // A snapshot is a copy: training on does not change it.
        trainSome(engine, 5);
        expect(engine.snapshot()).not.toEqual(saved);
        expect(() => engine.restore(saved.slice(1))).toThrow(/do not fit/);
      } finally {
        engine.dispose();
      }
    });
  });

  it('exports a tfjs model whose predictions equal its own outputs', () => {
    withSeededRandom(4, () => {
      const engine = createDenseEngine({ net, settings: s });
      try {
        engine.loadSamples(data.x, data.y, data.count);
        trainSome(engine, 25);
        const { outputs } = engine.evaluate(data.x, data.y, data.count);
        const model = engine.toLayersModel();
        const predicted = tf.tidy(
          () =>
            (model.predict(tf.tensor2d(data.x, [data.count, FEATURES])) as Tensor).dataSync() as Float32Array,
        );
        expectOutputsClose(predicted, outputs, 1e-5);
        // Training after an export does not reach into the exported weights (they are copies).
        const before = denseLayerWeights(model, net);
        trainSome(engine, 3);
        expect(denseLayerWeights(model, net)).toEqual(before);
      } finally {
        engine.dispose();
      }
    });
  });

  it('refuses batches outside the loaded samples', () => {
    withSeededRandom(4, () => {
      const engine = createDenseEngine({ net, settings: s });
      try {
        expect(() => engine.trainBatch(0, 8)).toThrow(/not loaded/);
        engine.loadSamples(data.x, data.y, data.count);
        expect(() => engine.trainBatch(60, 8)).toThrow(/not loaded/);
        // A batch larger than the configured size grows the buffers instead of failing.
        expect(Number.isFinite(engine.trainBatch(0, 64).loss)).toBe(true);
        engine.releaseSamples();
        expect(() => engine.trainBatch(0, 8)).toThrow(/not loaded/);
      } finally {
        engine.dispose();
      }
    });
  });
});

describe('choosing the engine', () => {
  const mlp = compile([
    input(),
    dense(4),
    { kind: 'relu' },
    { kind: 'dropout', params: { rate: 0.2 } },
    dense(1),
    output('regression', 'mse'),
  ]);
  const convNet = compile([
    { kind: 'input', params: { dataKind: 'image', height: 6, width: 6, channels: 1 } },
    { kind: 'conv2d', params: { filters: 2, kernelSize: 3 } },
    { kind: 'relu' },
    { kind: 'flatten' },
    dense(3),
    output('multiclass', 'cce'),
  ]);
  const batchNormMlp = compile([
    input(),
    dense(4),
    { kind: 'batchnorm' },
    dense(1),
    output('regression', 'mse'),
  ]);
  const s = settings({});

  it('says which networks the dense engine runs', () => {
    expect(denseEngineSupports(mlp)).toBe(true);
    expect(denseEngineSupports(convNet)).toBe(false);
    expect(denseEngineSupports(batchNormMlp)).toBe(false);
  });

  it('picks the dense engine for a dense network on a JavaScript backend, else the layers engine', () => {
    expect(tf.getBackend()).toBe('cpu');
    const picked = chooseEngine({ net: mlp, settings: s });
    const general = chooseEngine({ net: convNet, settings: s });
    const forced = chooseEngine({ net: mlp, settings: s }, 'layers');
    try {
      expect(picked.name).toBe('dense');
      expect(general.name).toBe('layers');
      expect(forced.name).toBe('layers');
    } finally {
      for (const e of [picked, general, forced]) e.dispose();
    }
    expect(() => chooseEngine({ net: convNet, settings: s }, 'dense')).toThrow(/dense engine runs only/);
  });
});
