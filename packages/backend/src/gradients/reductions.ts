import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { attr, keepDimsShape, normalizeAxes, savedAt, single } from './helpers.js';

/**
 * dy of a reduction, reshaped to keepDims form and broadcast back over x, by a broadcasting add
 * onto zerosLike(x): tf.broadcastTo (the wasm Tile kernel) and tf.zeros (filled in JS, then
 * copied) are each ~20x slower for activation-sized tensors.
 */
function spread(dy: Tensor, x: Tensor, axes: number[]): Tensor {
  return tf.add(tf.zerosLike(x), tf.reshape(dy, keepDimsShape(x.shape, axes)));
}

/** Max and Min: the gradient flows to every position equal to the extremum (as TF does). */
function extremum(kernelName: string): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dyIn, saved, attrs: NamedAttrMap) => {
      const x = savedAt(saved, 0, kernelName);
      const y = savedAt(saved, 1, kernelName);
      // Max names its axes reductionIndices, Min names them axis.
      const axes = normalizeAxes(attrs.reductionIndices ?? attrs.axis, x.rank);
      return {
        x: () => {
          const hit = tf.cast(tf.equal(x, spread(y, x, axes)), 'float32');
          return tf.mul(spread(single(dyIn), x, axes), hit);
        },
      };
    },
  };
}

/** Product of all other entries along the last axis, zero-safe (no division by x). */
function productOfOthers(x2d: Tensor): Tensor {
  const before = tf.cumprod(x2d, 1, true, false);
  const after = tf.cumprod(x2d, 1, true, true);
  return tf.mul(before, after);
}

export const reductionGradients: GradConfig[] = [
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = savedAt(saved, 0, 'Sum');
      return { x: () => spread(single(dy), x, normalizeAxes(attrs.axis, x.rank)) };
    },
  },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = savedAt(saved, 0, 'Mean');
      const axes = normalizeAxes(attrs.axis, x.rank);
      const count = axes.reduce((n, a) => n * (x.shape[a] ?? 1), 1);
      return { x: () => tf.div(spread(single(dy), x, axes), tf.scalar(count)) };
    },
  },
  extremum('Max'),
  extremum('Min'),
  {
    kernelName: 'Prod',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = savedAt(saved, 0, 'Prod');
      const axes = normalizeAxes(attrs.axis, x.rank);
      return {
        x: () => {
          // Move the reduced axes last, flatten them, take the product of the others per row.
          const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
          const perm = [...kept, ...axes];
          const moved = tf.transpose(x, perm);
          const inner = axes.reduce((n, a) => n * (x.shape[a] ?? 1), 1);
          const others = productOfOthers(tf.reshape(moved, [-1, inner]));
          const back = tf.transpose(tf.reshape(others, moved.shape), inversePerm(perm));
          return tf.mul(spread(single(dy), x, axes), back);
        },
      };
    },
  },
  {
    kernelName: 'Cumsum',
    gradFunc: (dy, _saved, attrs) => ({
      x: () =>
        tf.cumsum(
          single(dy),
          attr<number>(attrs, 'axis'),
          attr<boolean>(attrs, 'exclusive'),
          !attr<boolean>(attrs, 'reverse'),
        ),
    }),
  },
];

export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}
