// Training and inference throughput of one network on the current tfjs backend, measured the way the
// trainer runs (train.ts): one shuffled gather per epoch, contiguous batch slices, optimizer.minimize
// per batch and the loss read back every batch.
import type { Scalar, Variable } from '@tensorflow/tfjs';
import type { LayersModel, Tensor } from '../electron/trainer/tf';
import { tf } from '../electron/trainer/tf';
import type { NetworkSpec } from './networks';

export interface EpochPlan {
  /** Wanted length of one timed epoch; sets the number of batches in it. */
  seconds: number;
  /** At most this many batches per epoch (at least 1). */
  maxSteps: number;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function permutation(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let s = (seed * 2654435761 + 1) >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function clampSteps(seconds: number, stepSeconds: number, max: number): number {
  return Math.max(1, Math.min(max, Math.round(seconds / Math.max(stepSeconds, 1e-6))));
}

/** Runs `step` for about half an epoch (JIT, XNNPACK operators, allocator settle); seconds per call. */
async function warmUp(step: () => Promise<void>, seconds: number): Promise<number> {
  let started = performance.now();
  await step();
  // A step longer than the warm-up (cpu on the ConvNet: minutes) is warm-up enough by itself.
  const first = (performance.now() - started) / 1000;
  if (first >= seconds / 2) return first;
  started = performance.now();
  let calls = 0;
  while (calls < 2 || (performance.now() - started < (seconds * 1000) / 2 && calls < 200)) {
    await step();
    calls++;
  }
  return (performance.now() - started) / 1000 / calls;
}

/** One network, built and warmed up on the current backend; each call times one epoch. */
export class NetworkSession {
  private readonly model: LayersModel;
  private readonly optimizer = tf.train.adam(1e-3);
  private readonly trainable: Variable[];
  private x: Tensor | null = null;
  private y: Tensor | null = null;
  private trainSteps = 1;
  private inferSteps = 1;
  private epochs = 0;

  constructor(readonly spec: NetworkSpec) {
    this.model = spec.build();
    this.trainable = this.model.trainableWeights.map((w) => w.read() as Variable);
  }

  private async trainStep(xb: Tensor, yb: Tensor): Promise<void> {
    const loss = this.optimizer.minimize(
      () => this.spec.loss(yb, this.model.apply(xb, { training: true }) as Tensor) as Scalar,
      true,
      this.trainable,
    )!;
    const value = (await loss.data())[0]!;
    loss.dispose();
    if (!Number.isFinite(value)) throw new Error(`the loss became ${value}`);
  }

  private async inferStep(s: number): Promise<void> {
    const b = this.spec.batch;
    const at = (s % this.trainSteps) * b;
    const out = tf.tidy(() => this.model.predict(this.x!.slice(at, b)) as Tensor);
    await out.data();
    out.dispose();
  }

  /** Warm-up (XNNPACK operators, optimizer slots) and the number of batches a timed epoch runs. */
  async prepare(plan: EpochPlan): Promise<{ trainSteps: number; inferSteps: number }> {
    const b = this.spec.batch;
    const warm = this.spec.data(b);
    const trainSeconds = await warmUp(() => this.trainStep(warm.x, warm.y), plan.seconds);
    this.trainSteps = clampSteps(plan.seconds, trainSeconds, plan.maxSteps);
    tf.dispose([warm.x, warm.y]);
    const data = this.spec.data(this.trainSteps * b);
    this.x = data.x;
    this.y = data.y;
    this.inferSteps = clampSteps(
      plan.seconds,
      await warmUp(() => this.inferStep(0), plan.seconds),
      plan.maxSteps * 4,
    );
    return { trainSteps: this.trainSteps, inferSteps: this.inferSteps };
  }

  /** One epoch of training; samples per second. */
  async trainEpoch(): Promise<number> {
    const b = this.spec.batch;
    const n = this.trainSteps * b;
    const started = performance.now();
    const [xe, ye] = tf.tidy(() => {
      const idx = tf.tensor1d(permutation(n, ++this.epochs), 'int32');
      return [tf.gather(this.x!, idx), tf.gather(this.y!, idx)];
    });
    for (let s = 0; s < this.trainSteps; s++) {
      const [xb, yb] = tf.tidy(() => [xe!.slice(s * b, b), ye!.slice(s * b, b)]);
      await this.trainStep(xb!, yb!);
      tf.dispose([xb!, yb!]);
    }
    tf.dispose([xe!, ye!]);
    return n / ((performance.now() - started) / 1000);
  }

  /** One pass of inference (model.predict per batch, output read back); samples per second. */
  async inferEpoch(): Promise<number> {
    const started = performance.now();
    for (let s = 0; s < this.inferSteps; s++) await this.inferStep(s);
    return (this.inferSteps * this.spec.batch) / ((performance.now() - started) / 1000);
  }

  dispose(): void {
    tf.dispose([this.x!, this.y!].filter(Boolean));
    this.optimizer.dispose();
    this.model.dispose();
  }
}
