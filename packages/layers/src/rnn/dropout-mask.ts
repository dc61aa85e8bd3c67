import { nextRandomSeed } from '@keras-ts/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Keras's `DropoutRNNCell._create_dropout_mask`: an inverted-dropout mask of `shape` (0, or
 * 1 / (1 - rate)), drawn once per sequence so every timestep drops the same units.
 * `seed` fixes it; otherwise the global seed (`setRandomSeed`) makes it reproducible.
 */
export function createDropoutMask(args: {
  shape: number[];
  rate: number;
  seed?: number | null;
}): Tensor {
  const { shape, rate } = args;
  if (!(rate >= 0 && rate < 1)) {
    throw new Error(`Expected a dropout rate in [0, 1). Received: rate=${rate}`);
  }
  const seed = args.seed ?? nextRandomSeed();
  return tf.tidy(() => {
    const keep = tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), rate);
    return tf.div(tf.cast(keep, 'float32'), 1 - rate);
  });
}

/**
 * Keras's `dropout_mask_count`: `count` independent masks of `shape`, one per gate (LSTM 4, GRU
 * 3 when recurrent dropout is on), each drawn once per sequence. With `seed`, mask k uses
 * `seed + k`, so the gates never share a mask.
 */
export function createDropoutMasks(args: {
  shape: number[];
  rate: number;
  count: number;
  seed?: number | null;
}): Tensor[] {
  const { shape, rate, count } = args;
  const seed = args.seed ?? null;
  return Array.from({ length: count }, (_, k) =>
    createDropoutMask({ shape, rate, seed: seed === null ? null : seed + k }),
  );
}

/** Keras clamps dropout rates into [0, 1] silently; a rate of 1 would divide by zero, so it is refused. */
export function checkDropoutRate(name: string, rate: number | undefined): number {
  const value = rate ?? 0;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value >= 1) {
    throw new Error(
      `Received an invalid value for "${name}", expected a float in [0, 1). Received: ${name}=${String(rate)}`,
    );
  }
  return value;
}
