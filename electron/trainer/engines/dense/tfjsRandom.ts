// seedrandom's alea generator, the one tfjs's randomUniform (and so tf.dropout) draws from. Rewritten
// here so the dense engine draws the same dropout masks as the layers engine from the same seed.

const TWO_POW_32 = 0x100000000;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** A reusable alea state: `seed` restarts it, `next` gives uniform numbers in [0, 1). */
export class Alea {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = 1;

  private n = 0;

  seed(seed: string): void {
    // Baagoe's Mash, applied to ' ' three times then to the seed three times, sharing one state.
    this.n = 0xefc8249d;
    this.c = 1;
    this.s0 = this.mash(' ');
    this.s1 = this.mash(' ');
    this.s2 = this.mash(' ');
    this.s0 -= this.mash(seed);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= this.mash(seed);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= this.mash(seed);
    if (this.s2 < 0) this.s2 += 1;
  }

  private mash(data: string): number {
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * TWO_POW_32;
    }
    this.n = n;
    return (n >>> 0) * TWO_POW_MINUS_32;
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * TWO_POW_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  }
}

/**
 * Fills `mask[0..count)` with tf.dropout's multipliers (0 or 1/keep, in float32) for a fresh seed from
 * Math.random, exactly as tfjs does for one call: one Math.random() per dropout layer and batch.
 */
export function dropoutMask(rng: Alea, rate: number, mask: Float32Array, count: number): void {
  rng.seed(Math.random().toString());
  const keep = Math.fround(1 - rate);
  for (let i = 0; i < count; i++) {
    const u = Math.fround(rng.next());
    mask[i] = Math.floor(Math.fround(u + keep)) / keep;
  }
}
