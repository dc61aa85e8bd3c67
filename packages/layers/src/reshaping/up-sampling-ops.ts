import * as tf from '@tensorflow/tfjs-core';

/**
 * numpy/Keras `repeat(x, factor, axis)`: each entry repeated `factor` times in place
 * ([a, b] -> [a, a, b, b]), from expandDims + tile + reshape since tfjs-core has no repeat op.
 */
export function repeatAlong(x: tf.Tensor, axis: number, factor: number): tf.Tensor {
  if (factor === 1) return x;
  return tf.tidy(() => {
    const expanded = tf.expandDims(x, axis + 1);
    const reps = expanded.shape.map((_, i) => (i === axis + 1 ? factor : 1));
    const shape = [...x.shape];
    shape[axis] = (x.shape[axis] as number) * factor;
    return tf.reshape(tf.tile(expanded, reps), shape);
  });
}
