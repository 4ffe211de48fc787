// optimizer.ts's optimizers over flat Float32Arrays, with tfjs 4.22's update formulas and state.
// The state is stored in float32 as tfjs's; within one update the new state is used unrounded (a
// difference of under one float32 rounding, for ~15% less time on the optimizer's loop).
import type { TrainingSettings } from '../../../../shared/graph';

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPS = 1e-8;
const RMS_DECAY = 0.99;
const RMS_EPS = 1e-8;
/** tfjs's Adagrad adds the backend's epsilon (1e-7 for float32) inside the square root. */
const ADAGRAD_EPS = 1e-7;

/** The optimizer state for `size` parameters, updated on the ranges that are trainable. */
export class FlatOptimizer {
  private readonly kind: TrainingSettings['optimizer'];
  private readonly momentum: number;
  private readonly decay: number;
  /** Momentum's accumulation, Adam's first moment, RMSprop's mean square, Adagrad's sum of squares. */
  private readonly a: Float32Array;
  /** Adam's second moment. */
  private readonly b: Float32Array;
  /** Adam's β^t, kept in float32 like tfjs's accBeta variables. */
  private accBeta1 = Math.fround(ADAM_BETA1);
  private accBeta2 = Math.fround(ADAM_BETA2);
  learningRate: number;

  /** `ranges` holds [start, end) pairs of the trainable parameters. */
  constructor(
    settings: TrainingSettings,
    size: number,
    private readonly ranges: Int32Array,
  ) {
    this.kind = settings.optimizer;
    this.learningRate = settings.learningRate;
    this.momentum = settings.momentum;
    this.decay = settings.weightDecay;
    this.a = new Float32Array(this.kind === 'sgd' ? 0 : size);
    this.b = new Float32Array(this.kind === 'adam' ? size : 0);
  }

  /** Σw² over the trainable parameters, for the weight-decay term of the loss. */
  squaredSum(w: Float32Array): number {
    let s = 0;
    for (let r = 0; r < this.ranges.length; r += 2) {
      for (let i = this.ranges[r]!, end = this.ranges[r + 1]!; i < end; i++) s += w[i]! * w[i]!;
    }
    return s;
  }

  /** One update of w from the gradients g (weight decay added here: g + decay·w). */
  step(w: Float32Array, g: Float32Array): void {
    const lr = this.learningRate;
    const decay = this.decay;
    const a = this.a;
    const ranges = this.ranges;
    switch (this.kind) {
      case 'sgd':
        for (let r = 0; r < ranges.length; r += 2) {
          for (let i = ranges[r]!, end = ranges[r + 1]!; i < end; i++)
            w[i] = w[i]! - lr * (g[i]! + decay * w[i]!);
        }
        return;
      case 'momentum': {
        const m = this.momentum;
        for (let r = 0; r < ranges.length; r += 2) {
          for (let i = ranges[r]!, end = ranges[r + 1]!; i < end; i++) {
            const acc = m * a[i]! + (g[i]! + decay * w[i]!);
            a[i] = acc;
            w[i] = w[i]! - lr * acc;
          }
        }
        return;
      }
      case 'adam': {
        const v = this.b;
        // tfjs's bias correction: lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε), as one division.
        const lrOverC1 = lr / Math.fround(1 - this.accBeta1);
        const inverseC2 = 1 / Math.fround(1 - this.accBeta2);
        for (let r = 0; r < ranges.length; r += 2) {
          for (let i = ranges[r]!, end = ranges[r + 1]!; i < end; i++) {
            const gi = g[i]! + decay * w[i]!;
            const m1 = ADAM_BETA1 * a[i]! + (1 - ADAM_BETA1) * gi;
            const m2 = ADAM_BETA2 * v[i]! + (1 - ADAM_BETA2) * gi * gi;
            a[i] = m1;
            v[i] = m2;
            w[i] = w[i]! - (lrOverC1 * m1) / (Math.sqrt(m2 * inverseC2) + ADAM_EPS);
          }
        }
        this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(ADAM_BETA1));
        this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(ADAM_BETA2));
        return;
      }
      case 'rmsprop':
        // tfjs's plain (uncentred) RMSprop with momentum 0: the moment is just this step's update.
        for (let r = 0; r < ranges.length; r += 2) {
          for (let i = ranges[r]!, end = ranges[r + 1]!; i < end; i++) {
            const gi = g[i]! + decay * w[i]!;
            const ms = RMS_DECAY * a[i]! + (1 - RMS_DECAY) * gi * gi;
            a[i] = ms;
            w[i] = w[i]! - (gi * lr) / Math.sqrt(ms + RMS_EPS);
          }
        }
        return;
      case 'adagrad':
        for (let r = 0; r < ranges.length; r += 2) {
          for (let i = ranges[r]!, end = ranges[r + 1]!; i < end; i++) {
            const gi = g[i]! + decay * w[i]!;
            const acc = a[i]! + gi * gi;
            a[i] = acc;
            w[i] = w[i]! - (gi / Math.sqrt(acc + ADAGRAD_EPS)) * lr;
          }
        }
        return;
    }
  }
}
