import { checkSeed, drawSeed } from '../initializers/seed.js';

/**
 * Keras's `SeedGenerator` for noise layers: a fixed `seed` gives a reproducible sequence of
 * different masks (one per call); no seed draws each call's seed from the global stream.
 */
export class SeedStream {
  readonly seed: number | null;
  private counter = 0;

  constructor(seed: unknown) {
    this.seed = checkSeed(seed);
  }

  next(): number {
    if (this.seed === null) return drawSeed();
    this.counter += 1;
    return (this.seed * 1_000_003 + this.counter) % 2_147_483_647;
  }
}
