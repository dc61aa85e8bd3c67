import { nextRandomSeed, seededRandom } from '@keras-ts/backend';

/**
 * A small seeded generator (mulberry32): shuffles must be reproducible for a seed and identical
 * in every worker thread, which Math.random cannot give.
 */
export class SeededRandom {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** A Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = out[i] as number;
      out[i] = out[j] as number;
      out[j] = t;
    }
    return out;
  }
}

/** A seed for epoch `epoch` derived from a base seed, so each epoch shuffles differently. */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
}

/**
 * A base seed for a shuffle nobody seeded: from the global seed stream after `setRandomSeed`
 * (Keras's `set_random_seed` makes shuffles reproducible too), else fresh randomness.
 */
export function randomSeed(): number {
  return nextRandomSeed() ?? Math.floor(Math.random() * 2 ** 31);
}
