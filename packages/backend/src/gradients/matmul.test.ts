import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

describe('matMul gradients', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA=%s transposeB=%s, 2-D and batched', async (tA, tB) => {
    const a2 = tA ? [4, 3] : [3, 4];
    const b2 = tB ? [2, 4] : [4, 2];
    const mm = (a: unknown, b: unknown) => tf.matMul(a as tf.Tensor, b as tf.Tensor, tA, tB);
    await expectGradientsMatch(mm, [{ shape: a2 }, { shape: b2 }]);
    await expectGradientsMatch(mm, [{ shape: [2, ...a2] }, { shape: [2, ...b2] }]);
  });

  it('broadcast batch dimensions reduce back', async () => {
    await expectGradientsMatch(
      (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor),
      [{ shape: [2, 3, 4] }, { shape: [4, 2] }],
    );
    await expectGradientsMatch(
      (a, b) => tf.matMul(a as tf.Tensor, b as tf.Tensor),
      [{ shape: [1, 3, 4] }, { shape: [2, 4, 2] }],
    );
  });

  it.each(['linear', 'relu', 'elu', 'sigmoid'] as const)('fused matMul, %s', async (activation) => {
    await expectGradientsMatch(
      (a, b, bias) =>
        tf
          .engine()
          .runKernel(
            '_FusedMatMul',
            { a: a as tf.Tensor, b: b as tf.Tensor, bias: bias as tf.Tensor },
            { transposeA: false, transposeB: true, activation },
          ) as tf.Tensor,
      // The wasm kernel takes rank-3 operands (tf.fused.matMul reshapes before calling it).
      [{ shape: [1, 3, 4] }, { shape: [1, 2, 4] }, { shape: [2] }],
    );
  });
});
