import * as tf from '@tensorflow/tfjs-core';

/** A resolved loss: (yTrue, yPred, sampleWeight) -> scalar, reduced like Keras 3. */
export type ResolvedLoss = {
  name: string;
  fn: (yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight: tf.Tensor | null) => tf.Tensor;
};

/** keras.losses.Loss: `call(yTrue, yPred, sampleWeight)` weights and reduces (Keras __call__). */
type LossObject = {
  name?: string;
  call?: (yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor | null) => tf.Tensor;
};

/**
 * Keras 3's "sum_over_batch_size": weight the per-sample values, sum, divide by their count
 * (not by the sum of weights). A sample weight of shape [batch] broadcasts over the rest.
 */
export function reduceWeighted(values: tf.Tensor, sampleWeight: tf.Tensor | null): tf.Tensor {
  if (values.rank === 0) return sampleWeight ? tf.mul(values, tf.mean(sampleWeight)) : values;
  let v = values;
  if (sampleWeight) {
    let sw = tf.cast(sampleWeight, v.dtype);
    // [batch, 1] weights against [batch] values, or [batch] against [batch, steps].
    while (sw.rank > v.rank && sw.shape[sw.rank - 1] === 1) sw = tf.squeeze(sw, [sw.rank - 1]);
    while (sw.rank < v.rank) sw = tf.expandDims(sw, -1);
    v = tf.mul(v, sw);
  }
  return tf.div(tf.sum(v), Math.max(v.size, 1));
}

/**
 * Adapts what `compile` received for one output: a plain function `(yTrue, yPred) =>
 * per-sample values`, or a Loss object (its `call` weights and reduces itself).
 */
export function adaptLoss(loss: unknown, fallbackName: string): ResolvedLoss {
  if (typeof loss === 'function') {
    const f = loss as (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
    const name = f.name && f.name !== 'anonymous' ? f.name : fallbackName;
    return { name, fn: (yTrue, yPred, sw) => reduceWeighted(f(yTrue, yPred), sw) };
  }
  const obj = loss as LossObject;
  if (obj && typeof obj.call === 'function') {
    const call = obj.call.bind(obj);
    return { name: obj.name ?? fallbackName, fn: (yTrue, yPred, sw) => call(yTrue, yPred, sw) };
  }
  throw new Error(
    `Could not interpret loss identifier: expected a name, a function (yTrue, yPred) => Tensor ` +
      `or a Loss object. Received: loss=${String(loss)}`,
  );
}

/** Casts a target to the prediction's dtype when they differ (int labels vs float outputs). */
export function alignTarget(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return yTrue.dtype === yPred.dtype || yPred.dtype !== 'float32'
    ? yTrue
    : tf.cast(yTrue, yPred.dtype);
}
