// The trainer's losses (losses.ts) and batch metric (layersEngine's batchMetric) over Float32Arrays,
// with the gradients tfjs's autodiff gives for the same formulas.
import type { LossKind } from '../../../../shared/blocks';
import type { Task } from '../../../../shared/data/types';
import type { OutputActivation } from '../../../../shared/graph';

/** Which formula: cross-entropies read probabilities after Sigmoid/Softmax, logits otherwise. */
export type LossMode = 'mse' | 'mae' | 'huber' | 'bceProb' | 'bceLogits' | 'cceProb' | 'cceLogits';

/** The clipping of losses.ts (PyTorch's finite bound on log), with tfjs's float32 comparison bounds. */
const EPS = 1e-7;
const EPS_32 = Math.fround(EPS);
const ONE_MINUS_EPS_32 = Math.fround(1 - EPS);

export function lossMode(loss: LossKind, activation: OutputActivation): LossMode {
  switch (loss) {
    case 'mse':
    case 'mae':
    case 'huber':
      return loss;
    case 'bce':
      return activation === 'sigmoid' ? 'bceProb' : 'bceLogits';
    case 'cce':
      return activation === 'softmax' ? 'cceProb' : 'cceLogits';
  }
}

/** What the loss is a mean over: every output value, or (categorical) every row. */
export function lossCount(mode: LossMode, rows: number, k: number): number {
  return mode === 'cceProb' || mode === 'cceLogits' ? rows : rows * k;
}

/** The class of a multi-class target, or −1 where tf.oneHot would give an all-zero row. */
function label(y: Float32Array, i: number, k: number): number {
  const c = y[i]! | 0;
  return c >= 0 && c < k ? c : -1;
}

/**
 * The summed loss of `rows` outputs (rows × k) against targets y[yOff..] (one value a row); when
 * `grad` is given, also writes d(loss sum × scale)/d(output) into it.
 */
export function lossSum(
  mode: LossMode,
  out: Float32Array,
  y: Float32Array,
  yOff: number,
  rows: number,
  k: number,
  grad: Float32Array | null,
  scale: number,
): number {
  let total = 0;
  switch (mode) {
    case 'mse':
      for (let i = 0; i < rows; i++) {
        const d = out[i]! - y[yOff + i]!;
        total += d * d;
        if (grad) grad[i] = 2 * d * scale;
      }
      return total;
    case 'mae':
      for (let i = 0; i < rows; i++) {
        const d = y[yOff + i]! - out[i]!;
        total += Math.abs(d);
        // tfjs's |x| gradient is −1 at 0.
        if (grad) grad[i] = (d > 0 ? -1 : 1) * scale;
      }
      return total;
    case 'huber':
      for (let i = 0; i < rows; i++) {
        const e = out[i]! - y[yOff + i]!;
        const a = Math.abs(e);
        if (a <= 1) {
          total += 0.5 * a * a;
          if (grad) grad[i] = e * scale;
        } else {
          total += a - 0.5;
          if (grad) grad[i] = (e > 0 ? 1 : -1) * scale;
        }
      }
      return total;
    case 'bceProb':
      for (let i = 0; i < rows; i++) {
        const p = out[i]!;
        const t = y[yOff + i]!;
        const q = Math.fround(p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p);
        const oneMinusQ = Math.fround(1 - q);
        total -= t * Math.log(q) + (1 - t) * Math.log(oneMinusQ);
        // Clipped values pass no gradient, as tf.clipByValue.
        if (grad) grad[i] = p >= EPS_32 && p <= ONE_MINUS_EPS_32 ? -(t / q - (1 - t) / oneMinusQ) * scale : 0;
      }
      return total;
    case 'bceLogits':
      for (let i = 0; i < rows; i++) {
        const z = out[i]!;
        const t = y[yOff + i]!;
        const e = Math.exp(-Math.abs(z));
        total += (z > 0 ? z : 0) - z * t + Math.log1p(e);
        if (grad) grad[i] = ((z > 0 ? 1 : 0) - t - (z > 0 ? 1 : -1) * (e / (1 + e))) * scale;
      }
      return total;
    case 'cceProb':
      for (let r = 0; r < rows; r++) {
        const c = label(y, yOff + r, k);
        const o = r * k;
        if (grad) for (let j = 0; j < k; j++) grad[o + j] = 0;
        if (c < 0) continue;
        const p = out[o + c]!;
        const q = Math.fround(p < EPS ? EPS : p > 1 ? 1 : p);
        total -= Math.log(q);
        if (grad && p >= EPS_32 && p <= 1) grad[o + c] = -scale / q;
      }
      return total;
    case 'cceLogits':
      for (let r = 0; r < rows; r++) {
        const c = label(y, yOff + r, k);
        const o = r * k;
        let max = -Infinity;
        for (let j = 0; j < k; j++) if (out[o + j]! > max) max = out[o + j]!;
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(out[o + j]! - max);
        const lse = max + Math.log(sum);
        if (c >= 0) total += lse - out[o + c]!;
        if (grad)
          for (let j = 0; j < k; j++) grad[o + j] = (Math.exp(out[o + j]! - lse) - (j === c ? 1 : 0)) * scale;
      }
      return total;
  }
}

/**
 * The batch metric summed over rows: absolute errors (regression) or correct predictions
 * (classification, thresholds and arg-max as batchMetric). Divide by `rows` for the mean.
 */
export function metricSum(
  task: Task,
  activation: OutputActivation,
  out: Float32Array,
  y: Float32Array,
  yOff: number,
  rows: number,
  k: number,
): number {
  let total = 0;
  switch (task) {
    case 'regression':
      for (let i = 0; i < rows; i++) total += Math.abs(out[i]! - y[yOff + i]!);
      return total;
    case 'binary': {
      const threshold = activation === 'sigmoid' ? 0.5 : 0;
      for (let i = 0; i < rows; i++) if ((out[i]! > threshold ? 1 : 0) === y[yOff + i]!) total++;
      return total;
    }
    case 'multiclass':
      for (let r = 0; r < rows; r++) {
        const o = r * k;
        let arg = 0;
        for (let j = 1; j < k; j++) if (out[o + j]! > out[o + arg]!) arg = j;
        // An all-zero one-hot row (a label out of range) has arg-max 0.
        if (arg === Math.max(0, label(y, yOff + r, k))) total++;
      }
      return total;
  }
}
