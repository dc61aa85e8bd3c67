import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { defineLossFn, l2Normalize } from './functions-common.js';
import { squeezeOrExpandToSameRank } from './loss.js';

/** `mean(square(yTrue - yPred), axis=-1)`. */
export const meanSquaredError = defineLossFn('mean_squared_error', (yTrue, yPred) => {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.mean(tf.square(tf.sub(t, p)), -1);
});

/** `mean(abs(yTrue - yPred), axis=-1)`. */
export const meanAbsoluteError = defineLossFn('mean_absolute_error', (yTrue, yPred) => {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.mean(tf.abs(tf.sub(t, p)), -1);
});

/** `100 * mean(abs((yTrue - yPred) / max(abs(yTrue), eps)), axis=-1)`. */
export const meanAbsolutePercentageError = defineLossFn(
  'mean_absolute_percentage_error',
  (yTrue, yPred) => {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    const diff = tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), epsilon())));
    return tf.mul(100, tf.mean(diff, -1));
  },
);

/** `mean(square(log(max(yPred, eps) + 1) - log(max(yTrue, eps) + 1)), axis=-1)`. */
export const meanSquaredLogarithmicError = defineLossFn(
  'mean_squared_logarithmic_error',
  (yTrue, yPred) => {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    const eps = epsilon();
    const a = tf.log(tf.add(tf.maximum(p, eps), 1));
    const b = tf.log(tf.add(tf.maximum(t, eps), 1));
    return tf.mean(tf.square(tf.sub(a, b)), -1);
  },
);

/** Negative cosine similarity along `axis` (so minimising it aligns the vectors). */
export const cosineSimilarity = defineLossFn(
  'cosine_similarity',
  (yTrue, yPred, axis: number = -1) => {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    return tf.neg(tf.sum(tf.mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis));
  },
);

/** Quadratic within `delta`, linear outside (mean over the last axis). */
export const huber = defineLossFn('huber', (yTrue, yPred, delta: number = 1.0) => {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  const error = tf.sub(p, t);
  const absError = tf.abs(error);
  const quadratic = tf.mul(0.5, tf.square(error));
  const linear = tf.sub(tf.mul(delta, absError), 0.5 * delta * delta);
  return tf.mean(tf.where(tf.lessEqual(absError, delta), quadratic, linear), -1);
});

/** `mean(log(cosh(yPred - yTrue)), axis=-1)`, computed stably as x + softplus(-2x) - log 2. */
export const logCosh = defineLossFn('log_cosh', (yTrue, yPred) => {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  const x = tf.sub(p, t);
  return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2)), -1);
});

/** `sum(yTrue * log(yTrue / yPred), axis=-1)` with both clipped to [eps, 1]. */
export const klDivergence = defineLossFn('kl_divergence', (yTrue, yPred) => {
  const eps = epsilon();
  const t = tf.clipByValue(yTrue, eps, 1);
  const p = tf.clipByValue(yPred, eps, 1);
  return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
});

/** `mean(yPred - yTrue * log(yPred + eps), axis=-1)`. */
export const poisson = defineLossFn('poisson', (yTrue, yPred) =>
  tf.mean(tf.sub(yPred, tf.mul(yTrue, tf.log(tf.add(yPred, epsilon())))), -1),
);

/** Keras's hinge losses map {0, 1} labels to {-1, 1}; other labels pass unchanged. */
function toHingeLabels(yTrue: tf.Tensor): tf.Tensor {
  const isBinary = tf.all(tf.logicalOr(tf.equal(yTrue, 0), tf.equal(yTrue, 1)));
  return tf.where(isBinary, tf.sub(tf.mul(2, yTrue), 1), yTrue);
}

/** `mean(max(1 - yTrue * yPred, 0), axis=-1)`, labels -1/1 (or 0/1). */
export const hinge = defineLossFn('hinge', (yTrue, yPred) =>
  tf.mean(tf.relu(tf.sub(1, tf.mul(toHingeLabels(yTrue), yPred))), -1),
);

/** `mean(square(max(1 - yTrue * yPred, 0)), axis=-1)`. */
export const squaredHinge = defineLossFn('squared_hinge', (yTrue, yPred) =>
  tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(toHingeLabels(yTrue), yPred)))), -1),
);

/** `max(max((1 - yTrue) * yPred) - sum(yTrue * yPred) + 1, 0)` over the last axis. */
export const categoricalHinge = defineLossFn('categorical_hinge', (yTrue, yPred) => {
  const pos = tf.sum(tf.mul(yTrue, yPred), -1);
  const neg = tf.max(tf.mul(tf.sub(1, yTrue), yPred), -1);
  return tf.relu(tf.add(tf.sub(neg, pos), 1));
});

/** `1 - 2 * sum(yTrue * yPred) / (sum(yTrue) + sum(yPred) + eps)` over `axis` (all if null). */
export const dice = defineLossFn('dice', (yTrue, yPred, axis: number | number[] | null = null) => {
  const ax = axis ?? undefined;
  const intersection = tf.sum(tf.mul(yTrue, yPred), ax);
  const denom = tf.add(tf.add(tf.sum(yTrue, ax), tf.sum(yPred, ax)), epsilon());
  return tf.sub(1, tf.div(tf.mul(2, intersection), denom));
});

/** `1 - TP / (TP + alpha * FP + beta * FN + eps)` over `axis` (all if null). */
export const tversky = defineLossFn(
  'tversky',
  (
    yTrue,
    yPred,
    alpha: number = 0.5,
    beta: number = 0.5,
    axis: number | number[] | null = null,
  ) => {
    const ax = axis ?? undefined;
    const intersection = tf.sum(tf.mul(yPred, yTrue), ax);
    const fp = tf.sum(tf.mul(tf.sub(1, yTrue), yPred), ax);
    const fn = tf.sum(tf.mul(yTrue, tf.sub(1, yPred)), ax);
    const denom = tf.add(
      tf.add(tf.add(intersection, tf.mul(fp, alpha)), tf.mul(fn, beta)),
      epsilon(),
    );
    return tf.sub(1, tf.div(intersection, denom));
  },
);
