import * as tf from '@tensorflow/tfjs-core';

/**
 * `keras.utils.to_categorical`: class ids to one-hot rows. `numClasses` defaults to
 * max(id) + 1; an id outside [0, numClasses) is an error naming it.
 */
export function toCategorical(y: tf.Tensor | ArrayLike<number>, numClasses?: number): tf.Tensor {
  const ids = y instanceof tf.Tensor ? Array.from(y.dataSync()) : Array.from(y);
  const shape = y instanceof tf.Tensor ? [...y.shape] : [ids.length];
  // Keras drops a trailing dimension of size 1 (ids given as a column).
  if (shape.length > 1 && shape[shape.length - 1] === 1) shape.pop();
  for (const [i, v] of ids.entries()) {
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(
        `toCategorical expects non-negative integer class ids. Received: y[${i}]=${v}`,
      );
    }
  }
  const n = numClasses ?? (ids.length ? Math.max(...ids) + 1 : 0);
  const bad = ids.findIndex((v) => v >= n);
  if (bad >= 0) {
    throw new Error(`Class id ${ids[bad]} at index ${bad} is out of range for numClasses=${n}.`);
  }
  const out = new Float32Array(ids.length * n);
  ids.forEach((v, i) => {
    out[i * n + v] = 1;
  });
  return tf.tensor(out, [...shape, n]);
}
