/**
 * The global random seed (`keras.utils.set_random_seed` / `tf.set_random_seed`). Layers'
 * initializers and dropout call `nextRandomSeed()` when they were given no seed: with a global
 * seed set the draws form a fixed sequence, so a whole run is reproducible; without one they get
 * `undefined` and tfjs picks fresh randomness.
 */

/** Largest seed handed out: tfjs ops take any number, but int32 keeps them exact everywhere. */
const SEED_SPAN = 2 ** 31;

const state: { seed: number | undefined; counter: number } = { seed: undefined, counter: 0 };

/**
 * Sets (or, with `null`/`undefined`, clears) the global seed and restarts its sequence.
 * Accepts a non-negative safe integer, like Keras.
 */
export function setRandomSeed(seed: number | null | undefined): void {
  if (seed === null || seed === undefined) {
    state.seed = undefined;
    state.counter = 0;
    return;
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(
      `Expected a non-negative integer for the random seed. Received: seed=${String(seed)}`,
    );
  }
  state.seed = seed;
  state.counter = 0;
}

/** The seed last passed to `setRandomSeed`, or `undefined`. */
export function getRandomSeed(): number | undefined {
  return state.seed;
}

/**
 * The next seed of the global sequence, or `undefined` when no global seed is set. Each value is
 * an integer in [0, 2^31), a hash of (seed, draw index) so consecutive draws are decorrelated.
 */
export function nextRandomSeed(): number | undefined {
  if (state.seed === undefined) return undefined;
  const value = mixSeed(state.seed, state.counter);
  state.counter += 1;
  return value;
}

/**
 * splitmix32-style finaliser over (seed, index): cheap, stateless, and well spread even for
 * neighbouring seeds (0, 1, 2...) that users tend to pick.
 */
export function mixSeed(seed: number, index: number): number {
  // Fold the high bits of a large seed in so seeds that differ above 2^32 still differ.
  let h = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
  h = (h + Math.imul(index + 1, 0x9e3779b9)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % SEED_SPAN;
}
