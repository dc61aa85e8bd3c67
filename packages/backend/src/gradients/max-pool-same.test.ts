import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

type Pad = 'same' | 'valid';
const T4 = (t: unknown) => t as tf.Tensor4D;

// The cases the pooling gradient suite left out (issue 3): windows reaching into the trailing
// 'same' padding, which the stock wasm MaxPoolGrad dropped.
const cases: [number, number, Pad, number[]][] = [
  [2, 1, 'same', [1, 4, 5, 2]],
  [2, 1, 'same', [2, 3, 3, 1]],
  [3, 1, 'same', [1, 4, 4, 2]],
  [2, 2, 'same', [1, 5, 3, 1]],
  [3, 3, 'same', [1, 5, 7, 1]],
  [2, 1, 'valid', [1, 4, 5, 2]],
];

describe('maxPool gradient with same padding on wasm', () => {
  it.each(cases)('size=%s stride=%s %s %j matches finite differences', async (k, s, p, shape) => {
    expect(tf.getBackend()).toBe('wasm');
    await expectGradientsMatch((x) => tf.maxPool(T4(x), k, s, p), [{ shape, distinct: true }], {
      rtol: 1e-4,
      atol: 1e-4,
    });
  });

  it('trailing window [x1, pad] routes to x1', () => {
    const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(T4(x), [1, 2], 1, 'same')))(
      tf.tensor4d([1, 2], [1, 1, 2, 1]),
    );
    expect(Array.from(dx.dataSync())).toEqual([0, 2]);
  });
});
