import * as backend from '@keras-ts/backend';

type SeedSource = { nextRandomSeed?: () => number | undefined };

/**
 * A seed for one random draw: the backend's global seed stream when `setRandomSeed` was called
 * (so a seeded run is reproducible), else a fresh random one.
 */
export function drawSeed(): number {
  const next = (backend as unknown as SeedSource).nextRandomSeed;
  const seeded = typeof next === 'function' ? next() : undefined;
  return seeded ?? Math.floor(Math.random() * 2 ** 31);
}

/** Checks a `seed` argument (an integer or null) and echoes a wrong one. */
export function checkSeed(seed: unknown): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new Error(
      `Received an invalid value for "seed", expected an integer or null. Received: seed=${JSON.stringify(seed)}`,
    );
  }
  return seed;
}
