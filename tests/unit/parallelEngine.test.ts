import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileGraph,
  sequentialGraph,
  trainingSettingsSchema,
  type ChainBlock,
  type CompiledModel,
  type TrainingSettings,
} from '../../shared/graph';
import { createRng } from '../../shared/data/random';
import { initBackend } from '../../electron/trainer/backends/setup';
import type { Engine } from '../../electron/trainer/engines/engine';
import { createLayersEngine } from '../../electron/trainer/engines/layersEngine';
import { replicaEntryPath, startEngine } from '../../electron/trainer/engines/start';
import { createParallelEngine, shares } from '../../electron/trainer/parallel/parallelEngine';
import { trainNetwork } from '../../electron/trainer/train';
import type { TrainingData } from '../../electron/trainer/trainingData';
import type { TrainerEvent } from '../../shared/api/trainer';
import { planThreads } from '../../electron/trainer/parallel/threads';
import { withSeededRandom } from './seededRandom';

// Data-parallel training sums the shares' gradients instead of taking one batch's: the same maths in
// another order of float32 roundings, measured at ~5e-8 on the weights after 8 steps.
const LOSS_RTOL = 1e-4;
const W_RTOL = 1e-4;
const W_ATOL = 1e-5;

function compile(blocks: ChainBlock[]): CompiledModel {
  const result = compileGraph(sequentialGraph(blocks), { seed: 11 });
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join(' '));
  return result.model;
}

const image = { kind: 'input', params: { dataKind: 'image', height: 8, width: 8, channels: 3 } } as const;
const convNet = (extra: ChainBlock[] = []) =>
  compile([
    image,
    { kind: 'conv2d', params: { filters: 4, kernelSize: 3, padding: 1 } },
    { kind: 'relu' },
    { kind: 'maxpool2d', params: { size: 2 } },
    { kind: 'flatten' },
    ...extra,
    { kind: 'dense', params: { units: 5 } },
    { kind: 'output', params: { task: 'multiclass', loss: 'cce' } },
  ]);

const settings = (o: Partial<TrainingSettings> = {}): TrainingSettings =>
  trainingSettingsSchema.parse({ optimizer: 'adam', learningRate: 0.01, batchSize: 16, ...o });

const COUNT = 64;
const rng = createRng(5);
const x = Float32Array.from({ length: COUNT * 192 }, () => rng.next() * 2 - 1);
const y = Float32Array.from({ length: COUNT }, (_, i) => (i * 7) % 5);

/** An engine created under the seeded Math.random, as train.ts creates it. */
async function seededEngine(make: () => Engine | Promise<Engine>): Promise<Engine> {
  const original = Math.random;
  const r = createRng(1);
  Math.random = () => r.next();
  try {
    return await make();
  } finally {
    Math.random = original;
  }
}

interface Trace {
  losses: number[];
  metrics: number[];
  weights: Float32Array[];
  evaluation: ReturnType<Engine['evaluate']>;
}

/** Batches of 16, then a short one of `lastSize` (fewer samples than threads when 1), then more. */
function drive(engine: Engine, lastSize: number): Trace {
  engine.loadSamples(x, y, COUNT);
  const losses: number[] = [];
  const metrics: number[] = [];
  const plan: [number, number][] = [
    [0, 16],
    [16, 16],
    [32, 16],
    [48, lastSize],
    [5, 16],
  ];
  plan.forEach(([start, size], step) => {
    if (step === 3) engine.setLearningRate(0.003);
    const r = withSeededRandom(100 + step, () => engine.trainBatch(start, size));
    losses.push(r.loss);
    metrics.push(r.metric);
  });
  engine.releaseSamples();
  const evaluation = engine.evaluate(x, y, COUNT);
  return { losses, metrics, weights: engine.snapshot(), evaluation };
}

function expectSameTrace(a: Trace, b: Trace): void {
  a.losses.forEach((l, i) => {
    const e = b.losses[i]!;
    expect(Math.abs(l - e), `loss at step ${i + 1}: ${l} vs ${e}`).toBeLessThanOrEqual(
      LOSS_RTOL * Math.abs(e),
    );
  });
  a.metrics.forEach((m, i) => expect(m).toBeCloseTo(b.metrics[i]!, 6));
  a.weights.forEach((w, l) =>
    w.forEach((v, i) => {
      const e = b.weights[l]![i]!;
      if (!(Math.abs(v - e) <= W_ATOL + W_RTOL * Math.abs(e)))
        throw new Error(`weight ${l}[${i}]: ${v} vs ${e}`);
    }),
  );
  expect(a.evaluation.outputs.length).toBe(b.evaluation.outputs.length);
  a.evaluation.outputs.forEach((v, i) => expect(Math.abs(v - b.evaluation.outputs[i]!)).toBeLessThan(1e-5));
  expect(a.evaluation.loss).toBeCloseTo(b.evaluation.loss, 5);
  expect(a.evaluation.metric).toBeCloseTo(b.evaluation.metric, 6);
}

const entry = replicaEntryPath();
let scratch: string;

beforeAll(() => {
  if (!existsSync(entry)) throw new Error(`Build first (npm run build): ${entry} is missing.`);
  scratch = mkdtempSync(join(tmpdir(), 'nwb-parallel-'));
});

describe('shares of a batch', () => {
  it('cuts a batch into contiguous shares as equal as can be, larger ones first', () => {
    expect(shares(16, 2)).toEqual([
      [0, 8],
      [8, 8],
    ]);
    expect(shares(10, 3)).toEqual([
      [0, 4],
      [4, 3],
      [7, 3],
    ]);
    expect(shares(1, 3)).toEqual([
      [0, 1],
      [1, 0],
      [1, 0],
    ]);
  });
});

describe('how many threads a run gets', () => {
  const conv = convNet();
  const mlp = compile([
    { kind: 'input', params: { dataKind: 'tabular', features: 8 } },
    { kind: 'dense', params: { units: 1 } },
    { kind: 'output', params: { task: 'regression', loss: 'mse' } },
  ]);
  const bn = convNet([{ kind: 'batchnorm' }]);

  it('spreads a ConvNet over the cores, one share of at least 8 samples per thread', () => {
    expect(planThreads(conv, { batchSize: 32 }, 'wasm', undefined, 2).threads).toBe(2);
    expect(planThreads(conv, { batchSize: 32 }, 'wasm', undefined, 16).threads).toBe(4);
    expect(planThreads(conv, { batchSize: 256 }, 'cpu', undefined, 16).threads).toBe(8);
    expect(planThreads(conv, { batchSize: 32 }, 'wasm', 3, 16).threads).toBe(3);
  });

  it('keeps one thread where spreading cannot help or would change the maths, and says why', () => {
    expect(planThreads(conv, { batchSize: 32 }, 'tensorflow', undefined, 8)).toMatchObject({
      threads: 1,
      why: expect.stringMatching(/native TensorFlow/),
    });
    expect(planThreads(conv, { batchSize: 32 }, 'wasm', 1, 8).why).toMatch(/as asked/);
    expect(planThreads(conv, { batchSize: 8 }, 'wasm', undefined, 8).why).toMatch(/batch of 8 is too small/);
    expect(planThreads(mlp, { batchSize: 64 }, 'wasm', undefined, 8).why).toMatch(/small network/);
    expect(planThreads(bn, { batchSize: 64 }, 'wasm', undefined, 8).why).toMatch(/batch normalisation/);
    expect(planThreads(conv, { batchSize: 32 }, 'wasm', undefined, 1).threads).toBe(1);
    // Asked for, a small network may still be spread.
    expect(planThreads(mlp, { batchSize: 64 }, 'wasm', 2, 8).threads).toBe(2);
  });
});

describe.each(['cpu', 'wasm'] as const)('data-parallel training on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it.each([2, 3])('%i threads follow one thread’s run: losses, weights and test outputs', async (threads) => {
    const net = convNet();
    const s = settings({ weightDecay: 1e-3 });
    const single = await seededEngine(() => createLayersEngine({ net, settings: s }));
    const parallel = await seededEngine(() =>
      createParallelEngine({ net, settings: s }, { threads, backend, seed: 1, replicaEntry: entry }),
    );
    try {
      // A last batch of one sample leaves every replica without a share for that step.
      expectSameTrace(drive(parallel, 1), drive(single, 1));
    } finally {
      single.dispose();
      parallel.dispose();
    }
  });

  it('replicas take the weights again after a restore', async () => {
    const net = convNet();
    const s = settings({ optimizer: 'sgd', learningRate: 0.05 });
    const single = await seededEngine(() => createLayersEngine({ net, settings: s }));
    const parallel = await seededEngine(() =>
      createParallelEngine({ net, settings: s }, { threads: 2, backend, seed: 1, replicaEntry: entry }),
    );
    try {
      const start = single.snapshot();
      drive(parallel, 16);
      // Back to the start: were the replica not given these weights, its shares' gradients (and so
      // every step) would come from the weights it had trained to.
      parallel.restore(start);
      parallel.setLearningRate(0.05);
      expectSameTrace(drive(parallel, 16), drive(single, 16));
    } finally {
      single.dispose();
      parallel.dispose();
    }
  });
});

describe('a run on several threads', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const document = {
    format: 'neural-workbench/project' as const,
    version: 1 as const,
    name: 'threads',
    description: '',
    data: null,
    graph: sequentialGraph([
      image,
      { kind: 'conv2d', params: { filters: 4, kernelSize: 3, padding: 1 } },
      { kind: 'relu' },
      { kind: 'maxpool2d', params: { size: 2 } },
      { kind: 'flatten' },
      { kind: 'dense', params: { units: 5 } },
      { kind: 'output', params: { task: 'multiclass', loss: 'cce' } },
    ]),
    training: settings({ batchSize: 16, epochs: 3, weightDecay: 1e-4 }),
  };
  const data: TrainingData = {
    task: 'multiclass',
    inputShape: [8, 8, 3],
    classNames: ['a', 'b', 'c', 'd', 'e'],
    trainCount: 48,
    train: { x: x.slice(0, 48 * 192), y: y.slice(0, 48), count: 48 },
    test: { x: x.slice(48 * 192), y: y.slice(48), count: 16 },
    preprocessing: {},
  };

  async function run(threads: number) {
    const events: TrainerEvent[] = [];
    const done = await trainNetwork({
      runId: 1,
      document,
      data,
      backend: 'wasm',
      backendReason: 'test',
      emit: (e) => events.push(e),
      shouldStop: () => false,
      threads,
      replicaEntry: entry,
    });
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
    const started = events.find((e) => e.type === 'started');
    return { done, epochs, reason: started?.type === 'started' ? started.backendReason : '' };
  }

  it('follows the one-thread run’s loss curve and says it trains on two threads', async () => {
    const one = await run(1);
    const two = await run(2);
    expect(one.reason).toMatch(/tfjs layers \(one thread, as asked\)/);
    expect(two.reason).toMatch(/tfjs layers on 2 threads \(data-parallel\)/);
    expect(two.epochs).toHaveLength(3);
    two.epochs.forEach((m, i) => {
      for (const key of ['loss', 'val_loss'] as const) {
        const e = one.epochs[i]![key]!;
        expect(Math.abs(m[key]! - e), `${key} of epoch ${i + 1}`).toBeLessThanOrEqual(LOSS_RTOL * e);
      }
    });
    expect(two.done.predictions.yPred).toEqual(one.done.predictions.yPred);
  });
});

describe('when replicas fail', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  afterAll(async () => {
    await initBackend('cpu');
  });

  it('trains on one thread, saying why, when the replicas cannot start', async () => {
    const broken = join(scratch, 'broken.cjs');
    writeFileSync(broken, "throw new Error('no backend here');\n");
    const net = convNet();
    const { engine, note } = await startEngine(
      { net, settings: settings({ batchSize: 32 }) },
      { backend: 'cpu', seed: 1, threads: 2, replicaEntry: broken },
    );
    try {
      expect(engine.name).toBe('layers');
      expect(note).toMatch(/one thread: the other threads did not start \(.*no backend here/);
    } finally {
      engine.dispose();
    }
  });

  it('says a thread ended instead of waiting for it forever', async () => {
    // Ready, then gone at its first command, marking itself ended as the real replica does on exit.
    const dying = join(scratch, 'dying.cjs');
    writeFileSync(
      dying,
      [
        "const { workerData, parentPort } = require('node:worker_threads');",
        'const words = new Int32Array(workerData.setup.control);',
        "parentPort.postMessage({ type: 'ready' });",
        'Atomics.wait(words, 0, 0);',
        'Atomics.store(words, 2, 1);',
        'Atomics.notify(words, 1);',
      ].join('\n'),
    );
    const net = convNet();
    const engine = await createParallelEngine(
      { net, settings: settings() },
      { threads: 2, backend: 'cpu', seed: 1, replicaEntry: dying },
    );
    try {
      engine.loadSamples(x, y, COUNT);
      expect(() => engine.trainBatch(0, 16)).toThrow(/A training thread ended unexpectedly/);
    } finally {
      engine.dispose();
    }
  });

  it('passes on a replica’s error', async () => {
    // Answers every command with an error, through the same port and counters as the real one.
    const failing = join(scratch, 'failing.cjs');
    writeFileSync(
      failing,
      [
        "const { workerData, parentPort, receiveMessageOnPort } = require('node:worker_threads');",
        'const { setup, port } = workerData;',
        'const words = new Int32Array(setup.control);',
        "parentPort.postMessage({ type: 'ready' });",
        'let answered = 0;',
        'for (;;) {',
        '  Atomics.wait(words, 0, answered);',
        '  const m = receiveMessageOnPort(port);',
        '  if (!m) continue;',
        "  port.postMessage({ type: 'error', message: 'out of memory in the replica' });",
        '  answered++;',
        '  Atomics.store(words, 1, answered);',
        '  Atomics.notify(words, 1);',
        "  if (m.message.type === 'close') break;",
        '}',
      ].join('\n'),
    );
    const engine = await createParallelEngine(
      { net: convNet(), settings: settings() },
      { threads: 2, backend: 'cpu', seed: 1, replicaEntry: failing },
    );
    try {
      engine.loadSamples(x, y, COUNT);
      expect(() => engine.trainBatch(0, 16)).toThrow(
        'A training thread failed: out of memory in the replica',
      );
    } finally {
      engine.dispose();
    }
  });
});
