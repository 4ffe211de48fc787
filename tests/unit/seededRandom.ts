import { createRng } from '../../shared/data/random';

/** Runs `body` with Math.random seeded, as train.ts does around engine creation and training. */
export function withSeededRandom<T>(seed: number, body: () => T): T {
  const original = Math.random;
  const rng = createRng(seed);
  Math.random = () => rng.next();
  try {
    return body();
  } finally {
    Math.random = original;
  }
}
