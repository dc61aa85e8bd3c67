import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { attr, reduceToShape, savedAt, single } from './helpers.js';

/** Broadcasts a per-channel (rank-1) statistic against x the way tf.batchNorm does. */
function asBroadcast(t: Tensor, x: Tensor): Tensor {
  return t.rank === 1 && x.rank > 1 ? tf.reshape(t, [...new Array(x.rank - 1).fill(1), -1]) : t;
}

export const nnGradients: GradConfig[] = [
  {
    kernelName: 'Prelu',
    inputsToSave: ['x', 'alpha'],
    gradFunc: (dyIn, saved) => {
      const dy = single(dyIn);
      const x = savedAt(saved, 0, 'Prelu');
      const alpha = savedAt(saved, 1, 'Prelu');
      const positive = tf.greater(x, 0);
      return {
        x: () => tf.where(positive, dy, tf.mul(dy, alpha)),
        alpha: () =>
          reduceToShape(tf.where(positive, tf.zerosLike(dy), tf.mul(dy, x)), alpha.shape),
      };
    },
  },
  {
    kernelName: 'Softmax',
    outputsToSave: [true],
    gradFunc: (dyIn, saved, attrs) => {
      const dy = single(dyIn);
      const y = savedAt(saved, 0, 'Softmax');
      const dim = attr<number | number[]>(attrs, 'dim');
      const axis = Array.isArray(dim) ? dim : [dim];
      return {
        logits: () => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), axis, true))),
      };
    },
  },
  {
    kernelName: 'Select',
    inputsToSave: ['condition'],
    gradFunc: (dyIn, saved) => {
      const dy = single(dyIn);
      const condition = savedAt(saved, 0, 'Select');
      return {
        condition: () => tf.zerosLike(condition),
        t: () => tf.where(condition, dy, tf.zerosLike(dy)),
        e: () => tf.where(condition, tf.zerosLike(dy), dy),
      };
    },
  },
  {
    // y = (x - mean) * rsqrt(variance + eps) * scale + offset, statistics broadcast over x.
    kernelName: 'FusedBatchNorm',
    // scale must be passed (ones when absent): the engine cannot save a missing input.
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dyIn, saved, attrs) => {
      const dy = single(dyIn);
      const x = savedAt(saved, 0, 'FusedBatchNorm');
      const mean = savedAt(saved, 1, 'FusedBatchNorm');
      const variance = savedAt(saved, 2, 'FusedBatchNorm');
      const scale = saved[3];
      const eps = attr<number>(attrs, 'varianceEpsilon');
      const m = asBroadcast(mean, x);
      const v = asBroadcast(variance, x);
      const s = scale != null ? asBroadcast(scale, x) : tf.scalar(1);
      const inv = tf.rsqrt(tf.add(v, tf.scalar(eps)));
      const centered = tf.sub(x, m);
      const back = (t: Tensor, like: Tensor) => reduceToShape(t, like.shape);
      const grads: Record<string, () => Tensor> = {
        x: () => tf.mul(dy, tf.mul(s, inv)),
        mean: () => back(tf.neg(tf.mul(dy, tf.mul(s, inv))), mean),
        variance: () =>
          back(
            tf.mul(tf.mul(dy, tf.mul(s, centered)), tf.mul(tf.pow(inv, tf.scalar(3)), -0.5)),
            variance,
          ),
        // tfjs requires offset to have the statistics' shape, as tf.batchNorm documents.
        offset: () => back(dy, mean),
      };
      if (scale != null) grads.scale = () => back(tf.mul(dy, tf.mul(centered, inv)), scale);
      return grads;
    },
  },
];
