// Training throughput of the fused dense engine on the lesson's MLPs (the shipped presets, compiled as
// the app compiles them), next to the layers engine on tfjs `cpu` and PyTorch on the same machine.
//
//   npx tsx bench/denseEngine.ts [--json] [--reps 5] [--seconds 1.5] [--no-layers] [--no-torch]
//
// Measured the way train.ts runs an epoch: one shuffled gather, loadSamples, then trainBatch per
// batch with the loss read back; warm-up excluded, the median over --reps epochs reported.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '../shared/data/random';
import {
  compileGraph,
  parseProjectDocument,
  type CompiledModel,
  type TrainingSettings,
} from '../shared/graph';
import { chooseEngine } from '../electron/trainer/engines/choose';
import { tf } from '../electron/trainer/tf';

interface Case {
  id: 'housing-b10' | 'housing-b64' | 'wine-b64';
  preset: string;
  batch: number;
}

const CASES: Case[] = [
  { id: 'housing-b10', preset: 'california-housing-mlp', batch: 10 },
  { id: 'housing-b64', preset: 'california-housing-mlp', batch: 64 },
  { id: 'wine-b64', preset: 'wine-type-ann', batch: 64 },
];

const PYTHON = '/usr/bin/python3';
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const reps = value('--reps', 5);
const seconds = value('--seconds', 1.5);

function load(preset: string, batch: number): { net: CompiledModel; settings: TrainingSettings } {
  const path = fileURLToPath(new URL(`../resources/presets/${preset}.json`, import.meta.url));
  const parsed = parseProjectDocument(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw new Error(`${preset}: ${parsed.message}`);
  const doc = parsed.document;
  const compiled = compileGraph(doc.graph, { seed: doc.training.seed });
  if (!compiled.ok) throw new Error(`${preset}: ${compiled.issues.map((i) => i.message).join(' ')}`);
  // Adam at 1e-3, as the PyTorch reference runs every network.
  return {
    net: compiled.model,
    settings: { ...doc.training, batchSize: batch, optimizer: 'adam', learningRate: 1e-3 },
  };
}

function data(net: CompiledModel, count: number): { x: Float32Array; y: Float32Array } {
  const features = net.inputShape[0]!;
  const rng = createRng(11);
  const x = Float32Array.from({ length: count * features }, () => rng.next() * 4 - 2);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const a = x[i * features]!;
    const b = x[i * features + 1]!;
    y[i] = net.task === 'regression' ? a * 0.7 - b * 0.3 + 2 : a + x[i * features + 2]! > 0 ? 1 : 0;
  }
  return { x, y };
}

function gather(x: Float32Array, width: number, order: Int32Array): Float32Array {
  const out = new Float32Array(order.length * width);
  for (let i = 0; i < order.length; i++)
    out.set(x.subarray(order[i]! * width, order[i]! * width + width), i * width);
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Samples per second for training (median and fastest epoch: on a shared machine the fastest shows the
 * code's own speed) and for evaluate() over the same samples.
 */
function measure(
  c: Case,
  engineName: 'layers' | 'dense',
): { train: number; trainBest: number; infer: number } {
  const { net, settings } = load(c.preset, c.batch);
  const engine = chooseEngine({ net, settings }, engineName);
  const width = net.inputShape[0]!;
  try {
    // Size an epoch to about `seconds` from a short probe.
    const probe = data(net, c.batch * 20);
    engine.loadSamples(probe.x, probe.y, c.batch * 20);
    let t0 = performance.now();
    for (let i = 0; i < 20; i++) engine.trainBatch(i * c.batch, c.batch);
    const perBatch = (performance.now() - t0) / 20 / 1000;
    const steps = Math.max(20, Math.min(200_000, Math.round(seconds / perBatch)));
    const count = steps * c.batch;
    const { x, y } = data(net, count);
    const rng = createRng(5);
    const train: number[] = [];
    for (let rep = -1; rep < reps; rep++) {
      t0 = performance.now();
      const order = rng.shuffle(Int32Array.from({ length: count }, (_, i) => i));
      engine.loadSamples(gather(x, width, order), gather(y, 1, order), count);
      let sum = 0;
      for (let s = 0; s < steps; s++) sum += engine.trainBatch(s * c.batch, c.batch).loss;
      engine.releaseSamples();
      if (!Number.isFinite(sum)) throw new Error(`${c.id}: the loss became ${sum}`);
      if (rep >= 0) train.push(count / ((performance.now() - t0) / 1000));
    }
    const infer: number[] = [];
    for (let rep = -1; rep < reps; rep++) {
      t0 = performance.now();
      engine.evaluate(x, y, count);
      if (rep >= 0) infer.push(count / ((performance.now() - t0) / 1000));
    }
    return { train: median(train), trainBest: Math.max(...train), infer: median(infer) };
  } finally {
    engine.dispose();
  }
}

function torch(): Map<string, number> | string {
  if (flag('--no-torch')) return 'skipped (--no-torch)';
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0)
    return 'not installed';
  const script = fileURLToPath(new URL('./torch_ref.py', import.meta.url));
  const args = [
    script,
    '--json',
    '--threads',
    '2',
    '--networks',
    CASES.map((c) => c.id).join(','),
    '--reps',
    String(reps),
    '--seconds',
    String(seconds),
  ];
  const r = spawnSync(PYTHON, args, { encoding: 'utf8' });
  if (r.status !== 0) return `failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  const parsed = JSON.parse(r.stdout) as { results: { network: string; train: number }[] };
  return new Map(parsed.results.map((row) => [row.network, row.train]));
}

await tf.setBackend('cpu');
const rows = CASES.map((c) => ({
  network: c.id,
  batch: c.batch,
  dense: measure(c, 'dense'),
  layers: flag('--no-layers') ? null : measure(c, 'layers'),
}));
const ref = torch();
const report = rows.map((r) => {
  const t = typeof ref === 'string' ? undefined : ref.get(r.network);
  return { ...r, torchTrain: t ?? null, ratio: t ? r.dense.train / t : null };
});

if (flag('--json')) {
  console.log(JSON.stringify({ torch: typeof ref === 'string' ? ref : 'ok', results: report }, null, 2));
} else {
  const fmt = (n: number | null | undefined) => (n == null ? '—' : Math.round(n).toLocaleString('en-US'));
  const table = [
    [
      'network',
      'batch',
      'dense train/s',
      'fastest epoch',
      'dense eval/s',
      'layers(cpu) train/s',
      'PyTorch train/s',
      'dense/PyTorch',
    ],
  ];
  for (const r of report) {
    table.push([
      r.network,
      String(r.batch),
      fmt(r.dense.train),
      fmt(r.dense.trainBest),
      fmt(r.dense.infer),
      fmt(r.layers?.train),
      fmt(r.torchTrain),
      r.ratio == null ? '—' : r.ratio.toFixed(2),
    ]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    console.log(
      row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    );
  if (typeof ref === 'string') console.log(`PyTorch: ${ref}`);
  else console.log('PyTorch 2 threads (bench/torch_ref.py); dense/PyTorch = ours / PyTorch, training');
}
