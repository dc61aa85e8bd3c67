import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGradientsMatch } from '../gradients/test-utils/grad-check.js';
import { ensureBackend } from '../runtime/ensure-backend.js';

beforeAll(() => ensureBackend());

type Pad = 'same' | 'valid';
const T5 = (t: unknown) => t as tf.Tensor5D;

const cases: [number, number, Pad, number[]][] = [
  [2, 1, 'same', [1, 3, 3, 3, 2]],
  [2, 2, 'same', [1, 3, 4, 5, 1]],
  [3, 2, 'same', [2, 4, 3, 4, 1]],
  [2, 1, 'valid', [1, 3, 3, 3, 2]],
  [2, 2, 'valid', [1, 4, 4, 4, 1]],
];

describe('MaxPool3DGrad (clipped windows)', () => {
  it.each(cases)(
    'wasm size=%s stride=%s %s %j matches finite differences',
    async (k, s, p, shape) => {
      expect(tf.getBackend()).toBe('wasm');
      await expectGradientsMatch((x) => tf.maxPool3d(T5(x), k, s, p), [{ shape, distinct: true }], {
        rtol: 1e-4,
        atol: 1e-4,
      });
    },
  );

  it('trailing-padding window: size 2 stride 1 same on a 1x1x2 input', () => {
    // Outputs: max(x0,x1) and the window [x1, pad]: both route to x1 when x1 > x0.
    const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool3d(T5(x), 2, 1, 'same')))(
      tf.tensor5d([1, 2], [1, 1, 1, 2, 1]),
    );
    expect(Array.from(dx.dataSync())).toEqual([0, 2]);
  });

  describe('cpu (stock kernel, a second implementation)', () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });
    afterAll(async () => {
      await tf.setBackend('wasm');
    });
    it.each(cases)(
      'cpu size=%s stride=%s %s %j matches finite differences',
      async (k, s, p, shape) => {
        await expectGradientsMatch(
          (x) => tf.maxPool3d(T5(x), k, s, p),
          [{ shape, distinct: true }],
          {
            rtol: 1e-4,
            atol: 1e-4,
          },
        );
      },
    );
  });
});
