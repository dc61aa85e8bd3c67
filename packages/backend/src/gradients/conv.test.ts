import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

type Pad = 'same' | 'valid';
const T4 = (t: unknown) => t as tf.Tensor4D;

describe('convolution gradients', () => {
  const conv2dCases: [string, number | [number, number], number | [number, number], Pad][] = [
    ['stride 1, same', 1, 1, 'same'],
    ['stride 2, valid', 2, 1, 'valid'],
    ['stride [2, 1], same', [2, 1], 1, 'same'],
    ['dilation 2, same', 1, 2, 'same'],
    ['dilation [2, 1], valid', 1, [2, 1], 'valid'],
  ];
  it.each(conv2dCases)('conv2d %s (x and filter)', async (_, strides, dilations, pad) => {
    await expectGradientsMatch(
      (x, f) => tf.conv2d(T4(x), T4(f), strides, pad, 'NHWC', dilations),
      [{ shape: [2, 6, 5, 2] }, { shape: [3, 2, 2, 3] }],
    );
  });

  it('conv2d NCHW, explicit padding', async () => {
    await expectGradientsMatch(
      (x, f) =>
        tf.conv2d(
          T4(x),
          T4(f),
          2,
          [
            [0, 0],
            [0, 0],
            [1, 0],
            [0, 2],
          ],
          'NCHW',
        ),
      [{ shape: [1, 2, 5, 5] }, { shape: [2, 3, 2, 2] }],
    );
  });

  it.each([
    [1, 'same'],
    [2, 'same'],
    [2, 'valid'],
  ] as [number, Pad][])('conv2dTranspose stride %s %s (input and filter)', async (strides, pad) => {
    await expectGradientsMatch(
      (x, f) => tf.conv2dTranspose(T4(x), T4(f), [1, 6, 5, 2], strides, pad),
      [
        {
          shape: [
            1,
            strides === 1 ? 6 : pad === 'same' ? 3 : 2,
            strides === 1 ? 5 : pad === 'same' ? 3 : 2,
            3,
          ],
        },
        { shape: [3, 2, 2, 3] },
      ],
    );
  });

  it.each([
    [1, 1, 'same', 1],
    [2, 1, 'valid', 2],
    [1, 2, 'same', 2],
    [1, 2, 'valid', 1],
  ] as [number, number, Pad, number][])(
    'depthwiseConv2d strides=%s dilations=%s %s multiplier=%s',
    async (strides, dilations, pad, multiplier) => {
      await expectGradientsMatch(
        (x, f) => tf.depthwiseConv2d(T4(x), T4(f), strides, pad, 'NHWC', dilations),
        [{ shape: [2, 6, 5, 2] }, { shape: [2, 3, 2, multiplier] }],
      );
    },
  );

  it('separableConv2d (depthwise then pointwise)', async () => {
    await expectGradientsMatch(
      (x, d, p) => tf.separableConv2d(T4(x), T4(d), T4(p), 1, 'same'),
      [{ shape: [1, 4, 4, 2] }, { shape: [3, 3, 2, 1] }, { shape: [1, 1, 2, 3] }],
    );
  });

  it('fused conv2d with bias and relu through the FusedConv2D kernel', async () => {
    await expectGradientsMatch(
      (x, f, b) =>
        tf
          .engine()
          .runKernel(
            'FusedConv2D',
            { x: T4(x), filter: T4(f), bias: b as tf.Tensor },
            { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'relu' },
          ) as tf.Tensor,
      [{ shape: [1, 4, 4, 2] }, { shape: [2, 2, 2, 3] }, { shape: [3] }],
    );
  });
});
