import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { type TensorInput, toFloatTensor } from './loss.js';

/** Wraps a loss computation: converts inputs to float32 tensors and frees intermediates. */
export function defineLossFn<A extends unknown[]>(
  name: string,
  impl: (yTrue: tf.Tensor, yPred: tf.Tensor, ...rest: A) => tf.Tensor,
): (yTrue: TensorInput, yPred: TensorInput, ...rest: A) => tf.Tensor {
  const fn = (yTrue: TensorInput, yPred: TensorInput, ...rest: A) =>
    tf.tidy(() => impl(toFloatTensor(yTrue), toFloatTensor(yPred), ...rest));
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/** Resolves a possibly negative axis against a rank, with Keras's error. */
export function canonicalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw new Error(`\`axis\` must be an integer in [-${rank}, ${rank}). Received: axis=${axis}`);
  }
  return a;
}

/** Log-softmax along any axis (tfjs's op only supports the last one). */
export function logSoftmax(x: tf.Tensor, axis: number): tf.Tensor {
  const max = tf.max(x, axis, true);
  const shifted = tf.sub(x, max);
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), axis, true)));
}

export function softmax(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.exp(logSoftmax(x, axis));
}

/** Keras `ops.normalize(x, axis)` (order 2): `x * rsqrt(max(sum(x^2), eps^2))`. */
export function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  const squareSum = tf.sum(tf.square(x), axis, true);
  const eps = epsilon();
  return tf.mul(x, tf.rsqrt(tf.maximum(squareSum, eps * eps)));
}
