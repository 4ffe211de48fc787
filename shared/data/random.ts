/** A seeded pseudo-random generator: the same seed always gives the same sequence. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<A extends MutableArrayLike>(array: A): A;
}

/** Anything indexable and writable: plain arrays and typed arrays alike. */
export interface MutableArrayLike {
  readonly length: number;
  [index: number]: unknown;
}

const TWO_POW_32 = 4294967296;

/**
 * mulberry32 (Tommy Ettinger): 32 bits of state, fast, and good enough for shuffles and
 * splits. Runs, presets and tests record the seed, so the sequence for a seed must never change.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`The random seed must be a finite number (got ${seed}).`);
  // Any finite number maps onto the 32-bit state; negative and fractional seeds are still deterministic.
  let state = Math.trunc(seed) >>> 0;

  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  };

  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new RangeError(`int(n) needs a whole number n between 1 and 2^32 (got ${n}).`);
    }
    return Math.floor(next() * n);
  };

  const shuffle = <A extends MutableArrayLike>(array: A): A => {
    for (let i = array.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  };

  return { next, int, shuffle };
}
