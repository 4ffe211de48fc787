import { expect } from 'vitest';
import { tf } from '../../electron/trainer/tf';

/** Deterministic values in [-1, 1), so every backend gets the very same inputs. */
export function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2147483648 - 1;
  }
  return out;
}

export const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A tensor of `values` with this shape. */
export const tensor = (shape: number[], seed: number) => tf.tensor(values(size(shape), seed), shape);

/** Largest absolute difference over the largest expected magnitude (absolute when that is 0). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}
