import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

describe('nn gradients', () => {
  it('prelu, per-channel alpha', async () => {
    await expectGradientsMatch(
      (x, a) => tf.prelu(x as tf.Tensor, a as tf.Tensor),
      [
        { shape: [2, 3, 4], awayFrom: [0] },
        { shape: [4], lo: 0.1, hi: 0.5 },
      ],
    );
  });

  it('softmax over the last and a middle axis', async () => {
    await expectGradientsMatch(
      (x) => tf.softmax(x as tf.Tensor),
      [{ shape: [3, 4], lo: -2, hi: 2 }],
    );
    await expectGradientsMatch(
      (x) => tf.transpose(tf.softmax(tf.transpose(x as tf.Tensor, [0, 2, 1])), [0, 2, 1]),
      [{ shape: [2, 3, 2], lo: -2, hi: 2 }],
    );
  });

  it('logSoftmax (tfjs custom gradient through our kernels)', async () => {
    await expectGradientsMatch(
      (x) => tf.logSoftmax(x as tf.Tensor),
      [{ shape: [2, 5], lo: -2, hi: 2 }],
    );
  });

  it('where routes dy by the condition', async () => {
    const cond = tf.tensor2d([
      [true, false, true],
      [false, false, true],
    ]);
    await expectGradientsMatch(
      (a, b) => tf.where(cond, a as tf.Tensor, b as tf.Tensor),
      [{ shape: [2, 3] }, { shape: [2, 3] }],
    );
  });

  it('batchNorm with rank-1 statistics over every input', async () => {
    await expectGradientsMatch(
      (x, m, v, o, s) =>
        tf.batchNorm(
          x as tf.Tensor4D,
          m as tf.Tensor1D,
          v as tf.Tensor1D,
          o as tf.Tensor1D,
          s as tf.Tensor1D,
          1e-3,
        ),
      [
        { shape: [2, 2, 2, 3] },
        { shape: [3] },
        { shape: [3], lo: 0.5, hi: 1.5 },
        { shape: [3] },
        { shape: [3], lo: 0.5, hi: 1.5 },
      ],
    );
  });
});
