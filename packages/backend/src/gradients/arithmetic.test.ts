import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

describe('arithmetic gradients', () => {
  const pair = [{ shape: [2, 3] }, { shape: [2, 3] }];
  const broadcast = [{ shape: [2, 3] }, { shape: [3] }];
  it.each([
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['squaredDifference', tf.squaredDifference],
  ] as const)('%s, same shapes and broadcast', async (_, op) => {
    await expectGradientsMatch((a, b) => op(a as tf.Tensor, b as tf.Tensor), pair);
    await expectGradientsMatch((a, b) => op(a as tf.Tensor, b as tf.Tensor), broadcast);
    await expectGradientsMatch(
      (a, b) => op(a as tf.Tensor, b as tf.Tensor),
      [{ shape: [2, 1, 3] }, { shape: [4, 1] }],
    );
  });

  it('div (denominator away from 0)', async () => {
    await expectGradientsMatch(
      (a, b) => tf.div(a as tf.Tensor, b as tf.Tensor),
      [{ shape: [2, 3] }, { shape: [3], lo: 0.5, hi: 2 }],
    );
  });

  it('maximum and minimum route to the larger / smaller input', async () => {
    const specs = [
      { shape: [3, 4], distinct: true },
      { shape: [3, 4], lo: -1.3, hi: 1.3 },
    ];
    await expectGradientsMatch((a, b) => tf.maximum(a as tf.Tensor, b as tf.Tensor), specs);
    await expectGradientsMatch((a, b) => tf.minimum(a as tf.Tensor, b as tf.Tensor), specs);
  });

  it('pow, positive base', async () => {
    await expectGradientsMatch(
      (a, b) => tf.pow(a as tf.Tensor, b as tf.Tensor),
      [
        { shape: [2, 3], lo: 0.5, hi: 2 },
        { shape: [2, 3], lo: -2, hi: 2 },
      ],
    );
  });

  it('addN passes dy to every input', async () => {
    await expectGradientsMatch(
      (a, b, c) => tf.addN([a, b, c] as tf.Tensor[]),
      [{ shape: [2, 2] }, { shape: [2, 2] }, { shape: [2, 2] }],
    );
  });

  it('atan2 matches its closed form', () => {
    const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.atan2(a, b)))([
      tf.tensor1d([1, 2]),
      tf.tensor1d([3, -1]),
    ]);
    // d/da atan2(a, b) = b / (a^2 + b^2); d/db = -a / (a^2 + b^2).
    expect(ga).toBeAllclose([3 / 10, -1 / 5]);
    expect(gb).toBeAllclose([-1 / 10, -2 / 5]);
  });
});
