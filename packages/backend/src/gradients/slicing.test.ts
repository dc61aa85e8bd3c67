import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

const T = (t: unknown) => t as tf.Tensor;

describe('slicing and padding gradients', () => {
  it('slice with a number begin, a list begin and size -1', async () => {
    await expectGradientsMatch((x) => tf.square(tf.slice(T(x), 1)), [{ shape: [3, 2] }]);
    await expectGradientsMatch(
      (x) => tf.square(tf.slice(T(x), [0, 1, 1], [2, -1, 1])),
      [{ shape: [2, 3, 3] }],
    );
  });

  it('stridedSlice with strides, negative strides and masks', async () => {
    await expectGradientsMatch(
      (x) => tf.square(tf.stridedSlice(T(x), [0, 1], [3, 5], [2, 2])),
      [{ shape: [4, 5] }],
    );
    await expectGradientsMatch(
      (x) => tf.square(tf.stridedSlice(T(x), [3, 0], [0, 5], [-1, 1])),
      [{ shape: [4, 5] }],
    );
    // shrinkAxisMask drops axis 0, endMask runs axis 1 to the end.
    await expectGradientsMatch(
      (x) => tf.square(tf.stridedSlice(T(x), [1, 1], [2, 0], [1, 1], 0, 2, 0, 0, 1)),
      [{ shape: [3, 4] }],
    );
  });

  it('pad with a constant', async () => {
    await expectGradientsMatch(
      (x) =>
        tf.square(
          tf.pad(
            T(x),
            [
              [1, 0],
              [2, 1],
            ],
            0.5,
          ),
        ),
      [{ shape: [2, 3] }],
    );
  });

  it.each(['reflect', 'symmetric'] as const)('mirrorPad %s', async (mode) => {
    await expectGradientsMatch(
      (x) =>
        tf.mirrorPad(
          T(x),
          [
            [1, 2],
            [2, 1],
          ],
          mode,
        ),
      [{ shape: [4, 4] }],
    );
  });
});
