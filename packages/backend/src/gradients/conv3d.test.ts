import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

type Pad = 'same' | 'valid';
const T5 = (t: unknown) => t as tf.Tensor5D;

describe('3-D convolution gradients', () => {
  it.each([
    [1, 1, 'same'],
    [2, 1, 'valid'],
    [1, 2, 'same'],
  ] as [number, number, Pad][])(
    'conv3d strides=%s dilations=%s %s',
    async (strides, dilations, pad) => {
      await expectGradientsMatch(
        (x, f) => tf.conv3d(T5(x), T5(f), strides, pad, 'NDHWC', dilations),
        [{ shape: [1, 5, 4, 4, 2] }, { shape: [2, 2, 2, 2, 2] }],
      );
    },
  );

  it('conv3dTranspose (input and filter)', async () => {
    await expectGradientsMatch(
      (x, f) => tf.conv3dTranspose(T5(x), T5(f), [1, 4, 4, 4, 2], 2, 'same'),
      [{ shape: [1, 2, 2, 2, 3] }, { shape: [2, 2, 2, 2, 3] }],
    );
  });
});
