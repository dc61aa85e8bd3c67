import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { mask, reduceToShape, savedAt, single } from './helpers.js';

/** Gradients of the binary elementwise kernels; each reduces broadcast axes back to its input. */
function binary(
  kernelName: string,
  grads: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor | undefined) => [Tensor, Tensor],
  saveOutput = false,
): GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    ...(saveOutput ? { outputsToSave: [true] } : {}),
    gradFunc: (dyIn, saved) => {
      const dy = single(dyIn);
      const a = savedAt(saved, 0, kernelName);
      const b = savedAt(saved, 1, kernelName);
      const y = saveOutput ? saved[2] : undefined;
      return {
        a: () => reduceToShape(grads(dy, a, b, y)[0], a.shape),
        b: () => reduceToShape(grads(dy, a, b, y)[1], b.shape),
      };
    },
  };
}

export const arithmeticGradients: GradConfig[] = [
  binary('Add', (dy) => [dy, dy]),
  binary('Sub', (dy) => [dy, tf.neg(dy)]),
  binary('Multiply', (dy, a, b) => [tf.mul(dy, b), tf.mul(dy, a)]),
  binary('RealDiv', (dy, a, b) => [tf.div(dy, b), tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))]),
  binary('Maximum', (dy, a, b) => [
    tf.mul(dy, mask(tf.greaterEqual(a, b))),
    tf.mul(dy, mask(tf.less(a, b))),
  ]),
  binary('Minimum', (dy, a, b) => [
    tf.mul(dy, mask(tf.lessEqual(a, b))),
    tf.mul(dy, mask(tf.greater(a, b))),
  ]),
  binary('SquaredDifference', (dy, a, b) => {
    const g = tf.mul(dy, tf.mul(tf.scalar(2), tf.sub(a, b)));
    return [g, tf.neg(g)];
  }),
  binary(
    'Pow',
    (dy, a, b, y) => {
      const out = y ?? tf.pow(a, b);
      const da = tf.mul(dy, tf.mul(b, tf.pow(a, tf.sub(b, tf.scalar(1)))));
      // d/db a^b = a^b log a, defined only for a > 0 (TF returns 0 elsewhere too).
      const positive = tf.greater(a, 0);
      const logA = tf.where(
        positive,
        tf.log(tf.where(positive, a, tf.onesLike(a))),
        tf.zerosLike(a),
      );
      return [da, tf.mul(dy, tf.mul(out, logA))];
    },
    true,
  ),
  binary('Atan2', (dy, a, b) => {
    const d = tf.add(tf.square(a), tf.square(b));
    return [tf.mul(dy, tf.div(b, d)), tf.mul(dy, tf.neg(tf.div(a, d)))];
  }),
  binary('Mod', (dy, a, b) => [dy, tf.mul(dy, tf.neg(tf.floor(tf.div(a, b))))]),
  binary('FloorDiv', (dy) => [tf.zerosLike(dy), tf.zerosLike(dy)]),
  {
    kernelName: 'AddN',
    saveAllInputs: true,
    gradFunc: (dyIn, saved) => {
      const dy = single(dyIn);
      const out: Record<string, () => Tensor> = {};
      saved.forEach((_, i) => {
        out[i] = () => tf.clone(dy);
      });
      return out;
    },
  },
];
