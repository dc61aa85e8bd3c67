import { nextRandomSeed } from '@keras-ts/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** `(1, Tq, Tv)` lower-triangular boolean mask: query i sees keys 0..i. */
export function causalMask(tq: number, tv: number): Tensor {
  return tf.tidy(() => {
    const rows = tf.reshape(tf.range(0, tq, 1, 'int32'), [tq, 1]);
    const cols = tf.reshape(tf.range(0, tv, 1, 'int32'), [1, tv]);
    return tf.expandDims(tf.greaterEqual(rows, cols), 0);
  });
}

/**
 * Keras's `Attention._apply_scores`: masked positions get `-1e9` added (so a fully masked row
 * still softmaxes, as in Keras), softmax over the last axis, optional dropout on the weights,
 * then `weights @ value`.
 */
export function applyAttentionScores(args: {
  scores: Tensor;
  value: Tensor;
  scoresMask?: Tensor | null;
  dropout?: number;
  seed?: number | null;
}): { output: Tensor; weights: Tensor } {
  let scores = args.scores;
  if (args.scoresMask) {
    scores = tf.where(args.scoresMask, scores, tf.sub(scores, 1e9));
  }
  let weights = tf.softmax(scores);
  const rate = args.dropout ?? 0;
  if (rate > 0) weights = dropoutWeights(weights, rate, args.seed ?? null);
  return { output: tf.matMul(weights, args.value), weights };
}

/** Inverted dropout on attention weights (training only); the global seed makes it reproducible. */
export function dropoutWeights(weights: Tensor, rate: number, seed: number | null): Tensor {
  const s = seed ?? nextRandomSeed();
  const keep = tf.cast(
    tf.greaterEqual(tf.randomUniform(weights.shape, 0, 1, 'float32', s), rate),
    'float32',
  );
  return tf.div(tf.mul(weights, keep), 1 - rate);
}
