import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../runtime/ensure-backend.js';
import { expectGradientsMatch } from './grad-check.js';

beforeAll(() => ensureBackend());

describe('expectGradientsMatch', () => {
  it('rejects a wrong gradient', async () => {
    // Forward x^2, backward claims 3x: the check must notice.
    const wrong = tf.customGrad((x) => ({
      value: tf.square(x as tf.Tensor),
      gradFunc: (dy) => tf.mul(dy as tf.Tensor, tf.mul(x as tf.Tensor, 3)),
    }));
    await expect(
      expectGradientsMatch((x) => wrong(x as tf.Tensor), [{ shape: [4] }]),
    ).rejects.toThrow(/values differ/);
    expect(tf.getBackend()).toBe('wasm');
  });
});
