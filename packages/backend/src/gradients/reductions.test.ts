import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

const axesCases: [string, number | number[] | undefined, boolean][] = [
  ['all axes', undefined, false],
  ['axis 1', 1, false],
  ['axes [0, 2] keepDims', [0, 2], true],
  ['axis -1', -1, false],
];

describe('reduction gradients', () => {
  it.each(axesCases)('sum / mean / max / min / prod over %s', async (_, axis, keep) => {
    const x = [{ shape: [2, 3, 2], distinct: true }];
    await expectGradientsMatch((t) => tf.sum(t as tf.Tensor, axis, keep), x);
    await expectGradientsMatch((t) => tf.mean(t as tf.Tensor, axis, keep), x);
    await expectGradientsMatch((t) => tf.max(t as tf.Tensor, axis, keep), x);
    await expectGradientsMatch((t) => tf.min(t as tf.Tensor, axis, keep), x);
    await expectGradientsMatch(
      (t) => tf.prod(t as tf.Tensor, axis, keep),
      [{ shape: [2, 3, 2], lo: 0.5, hi: 1.5 }],
    );
  });

  it('prod with a zero entry: d/dx_i is the product of the others', () => {
    const g = tf.grad((x: tf.Tensor) => tf.prod(x))(tf.tensor1d([2, 0, 3]));
    expect(g).toBeAllclose([0, 6, 0]);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('cumsum exclusive=%s reverse=%s', async (exclusive, reverse) => {
    await expectGradientsMatch(
      (t) => tf.cumsum(t as tf.Tensor, 1, exclusive, reverse),
      [{ shape: [2, 4] }],
    );
  });
});
