// Where a training step's time goes, per phase and per kernel, for the housing MLP at batch 64 and the
// CIFAR ConvNet at batch 32 on wasm and cpu. `npx tsx bench/profile.ts [--networks ..] [--backends ..]`
//
// Phases (medians of several steps, each ending with a read back like the trainer):
//   slice     cutting the batch from the epoch's tensors
//   forward   model.apply + loss, no tape
//   backward  tf.variableGrads minus forward
//   optimizer optimizer.minimize minus tf.variableGrads (Adam's update of every weight)
//   lean fwd  the same forward as plain tf ops on the same weights, without the layers API
// Kernels: tf.profile of full steps, summed by kernel name, and the number of kernel calls per step
// times the engine's cost of one call on a tiny tensor (tape, scopes, bookkeeping, disposal): the
// floor a network of small layers cannot go under, however fast the arithmetic.
import type { LayersModel, NamedTensorMap, Scalar, Tensor4D, Variable } from '@tensorflow/tfjs';
import type { Tensor } from '../electron/trainer/tf';
import { tf } from '../electron/trainer/tf';
import { initBackend } from '../electron/trainer/backends/setup';
import { median } from './measure';
import { networkById, type NetworkSpec } from './networks';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const networkIds = arg('--networks', 'housing-b64,cifar-b32').split(',');
const backends = arg('--backends', 'wasm,cpu').split(',') as ('wasm' | 'cpu')[];
const steps = Number(arg('--steps', '0'));

function timeInterleaved<K extends string>(phases: Record<K, () => void>, reps: number): Record<K, number> {
  const keys = Object.keys(phases) as K[];
  const runs = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < reps; i++) {
    for (const k of keys) {
      const t0 = performance.now();
      phases[k]();
      runs[k].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, median(runs[k])])) as Record<K, number>;
}

/** Engine cost of one kernel call on a tiny tensor: what every op of a small network pays at least. */
function perCallMicroseconds(): number {
  const a = tf.ones([4, 4]);
  const calls = 2000;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) tf.add(a, a).dispose();
  const us = ((performance.now() - t0) * 1000) / calls;
  a.dispose();
  return us;
}

/** The same forward pass as plain ops on the model's own weights (Dense, Conv2D, pooling, ReLU). */
function leanForward(model: LayersModel, x: Tensor): Tensor {
  let h = x;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const w = layer.getWeights().map((t) => t);
    switch (cls) {
      case 'InputLayer':
        break;
      case 'Dense':
        h = tf.add(tf.matMul(h, w[0]!), w[1]!);
        break;
      case 'Conv2D':
        h = tf.add(tf.conv2d(h as Tensor4D, w[0] as Tensor4D, 1, 'valid'), w[1]!);
        break;
      case 'ZeroPadding2D':
        h = tf.pad(h, [
          [0, 0],
          [2, 2],
          [2, 2],
          [0, 0],
        ]);
        break;
      case 'ReLU':
        h = tf.relu(h);
        break;
      case 'MaxPooling2D':
        h = tf.maxPool(h as Tensor4D, 2, 2, 'valid');
        break;
      case 'Flatten':
        h = tf.reshape(h, [h.shape[0]!, -1]);
        break;
      case 'Dropout':
        h = tf.dropout(h, 0.5);
        break;
      default:
        throw new Error(`leanForward: no plain-op version of ${cls}`);
    }
  }
  return h;
}

async function profileOne(spec: NetworkSpec, backend: 'wasm' | 'cpu'): Promise<void> {
  const sel = await initBackend(backend);
  const model = spec.build();
  const optimizer = tf.train.adam(1e-3);
  const trainable = model.trainableWeights.map((w) => w.read() as Variable);
  const { x, y } = spec.data(spec.batch * 4);
  const xb = x.slice(0, spec.batch);
  const yb = y.slice(0, spec.batch);
  const lossOf = () => spec.loss(yb, model.apply(xb, { training: true }) as Tensor) as Scalar;
  const step = () => {
    // The loss is read back every step, as the trainer does.
    const l = optimizer.minimize(lossOf, true, trainable)!;
    l.dataSync();
    l.dispose();
  };
  // cpu takes minutes per ConvNet step: one warm-up step and one round there.
  const slow = spec.id.startsWith('cifar') && backend === 'cpu';
  const reps = steps || (slow ? 1 : spec.id.startsWith('cifar') ? 6 : 200);
  for (let i = 0; i < (slow ? 1 : 3); i++) step();

  // Phases alternate within each round so that load drifts on a shared machine hit all alike.
  // Both backends compute eagerly and synchronously, so no read-back is needed to time them.
  const phases = {
    slice: () =>
      tf.dispose(tf.tidy(() => [x.slice(spec.batch, spec.batch), y.slice(spec.batch, spec.batch)])),
    forward: () => tf.dispose(tf.tidy(() => lossOf())),
    grads: () => {
      const { value, grads: g } = tf.variableGrads(lossOf, trainable);
      tf.dispose([value, ...Object.values(g as NamedTensorMap)]);
    },
    full: step,
    lean: () => tf.dispose(tf.tidy(() => spec.loss(yb, leanForward(model, xb)))),
  };
  const { slice, forward, grads, full, lean } = timeInterleaved(phases, reps);
  const kernelReps = Math.max(1, Math.min(reps, 20));
  const info = await tf.profile(() => {
    for (let i = 0; i < kernelReps; i++) step();
  });
  const byName = new Map<string, { calls: number; ms: number }>();
  let kernelTotal = 0;
  for (const k of info.kernels) {
    // Op scopes of custom-gradient ops (fusedMatMul__op…) wrap kernels listed on their own.
    if (k.name.endsWith('__op')) continue;
    const ms = (k.kernelTimeMs as number) / kernelReps;
    kernelTotal += ms;
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls += 1 / kernelReps;
    e.ms += ms;
    byName.set(k.name, e);
  }

  const pct = (ms: number) => `${((100 * ms) / full).toFixed(1)}%`;
  const row = (name: string, ms: number, extra = '') =>
    `  ${name.padEnd(28)} ${ms.toFixed(3).padStart(10)} ms  ${pct(ms).padStart(6)}  ${extra}`;
  console.log(
    `\n## ${spec.label}, batch ${spec.batch}, on ${sel.name} — one training step: ${full.toFixed(3)} ms (${Math.round((spec.batch * 1000) / full)} samples/s)`,
  );
  console.log(row('slice batch', slice));
  console.log(row('forward (layers API)', forward));
  console.log(row('backward', grads - forward));
  console.log(row('optimizer (Adam)', full - grads));
  console.log(
    row('lean forward (plain ops)', lean, `layers API costs ${(forward - lean).toFixed(3)} ms per forward`),
  );
  const calls = [...byName.values()].reduce((n, e) => n + e.calls, 0);
  const perCall = perCallMicroseconds() / 1000;
  console.log(
    `  kernels (tf.profile of ${kernelReps} steps, per step; each time includes the profiler's own cost per call):`,
  );
  const sorted = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
  for (const [name, e] of sorted.slice(0, 14)) console.log(row(`${name} ×${Math.round(e.calls)}`, e.ms));
  const rest = sorted.slice(14).reduce((sum, [, e]) => sum + e.ms, 0);
  if (sorted.length > 14) console.log(row(`${sorted.length - 14} other kernels`, rest));
  console.log(row('all kernels', kernelTotal));
  console.log(
    row(
      `${Math.round(calls)} calls × engine cost`,
      calls * perCall,
      `one tiny tf.add costs ${(perCall * 1000).toFixed(1)} µs: the floor for this many ops`,
    ),
  );

  tf.dispose([x, y, xb, yb]);
  optimizer.dispose();
  model.dispose();
}

for (const id of networkIds) for (const b of backends) await profileOne(networkById(id), b);
