import { nextRandomSeed, seededRandom } from '@keras-ts/backend';

/**
 * A Fisher-Yates permutation of 0..n-1 for an epoch's shuffle. After `setRandomSeed` (Keras's
 * `set_random_seed`) the orders come from the global seed stream, so a seeded `fit` is
 * reproducible like Keras's; without a global seed each call is fresh randomness.
 */
export function randomPermutation(n: number): Int32Array {
  const seed = nextRandomSeed();
  const random = seed === undefined ? Math.random : seededRandom(seed);
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
