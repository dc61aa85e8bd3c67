import * as tf from '@tensorflow/tfjs-core';

/**
 * Elementwise max as `a + relu(b - a)`. On the wasm backend tf.maximum runs ~300x slower than
 * relu (about 9 ms against 0.03 ms for 200k floats), and optimizer slots take it every step; the
 * result can differ from tf.maximum by one ulp when b > a.
 */
export function fastMaximum(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(a, tf.relu(tf.sub(b, a)));
}
