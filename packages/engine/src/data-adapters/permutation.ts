import { nextRandomSeed } from '@keras-ts/backend';

/** mulberry32: a tiny seeded generator, uniform in [0, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A Fisher-Yates permutation of 0..n-1 for an epoch's shuffle. After `setRandomSeed` (Keras's
 * `set_random_seed`) the orders come from the global seed stream, so a seeded `fit` is
 * reproducible like Keras's; without a global seed each call is fresh randomness.
 */
export function randomPermutation(n: number): Int32Array {
  const seed = nextRandomSeed();
  const random = seed === undefined ? Math.random : seeded(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = tmp;
  }
  return perm;
}
