import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { runLayerTest } from '../testing/index.js';
import { Cropping1D } from './cropping1d.js';
import { Cropping2D } from './cropping2d.js';
import { Cropping3D } from './cropping3d.js';
import { UpSampling1D } from './up-sampling1d.js';
import { UpSampling2D } from './up-sampling2d.js';
import { UpSampling3D } from './up-sampling3d.js';
import { ZeroPadding1D } from './zero-padding1d.js';
import { ZeroPadding2D } from './zero-padding2d.js';
import { ZeroPadding3D } from './zero-padding3d.js';

beforeAll(() => ensureBackend());

const range = (shape: number[]) =>
  tf.reshape(tf.range(1, shape.reduce((a, b) => a * b) + 1), shape);

describe('ZeroPadding1D/2D/3D', () => {
  it('pads with zeros on the spatial axes only', () => {
    runLayerTest(ZeroPadding1D, {
      initArgs: { padding: [1, 2] },
      inputData: tf.tensor3d([[[1], [2]]]),
      expectedOutputShape: [1, 5, 1],
      expectedOutput: [[[0], [1], [2], [0], [0]]],
      expectedNumTrainableWeights: 0,
    });
    runLayerTest(ZeroPadding2D, {
      initArgs: {
        padding: [
          [1, 0],
          [0, 2],
        ],
      },
      inputData: range([1, 2, 2, 1]),
      expectedOutputShape: [1, 3, 4, 1],
      expectedOutput: [
        [
          [[0], [0], [0], [0]],
          [[1], [2], [0], [0]],
          [[3], [4], [0], [0]],
        ],
      ],
    });
    runLayerTest(ZeroPadding2D, {
      initArgs: { padding: 1, dataFormat: 'channels_first' },
      inputData: range([1, 1, 1, 2]),
      expectedOutputShape: [1, 1, 3, 4],
      expectedOutput: [
        [
          [
            [0, 0, 0, 0],
            [0, 1, 2, 0],
            [0, 0, 0, 0],
          ],
        ],
      ],
    });
    const { output } = runLayerTest(ZeroPadding3D, {
      initArgs: { padding: [1, 0, 2] },
      inputShape: [2, 2, 3, 1, 4],
      expectedOutputShape: [2, 4, 3, 5, 4],
    });
    const y = output as tf.Tensor;
    // The padded border sums to zero; the interior holds the whole input.
    expect(tf.sum(tf.abs(tf.slice(y, [0, 0, 0, 0, 0], [2, 1, 3, 5, 4])))).toBeAllclose(0);
    expect(tf.sum(tf.abs(tf.slice(y, [0, 1, 0, 0, 0], [2, 2, 3, 2, 4])))).toBeAllclose(0);
  });

  it('writes Keras configs and rejects bad padding', () => {
    expect(new ZeroPadding1D().getConfig()).toMatchObject({
      padding: [1, 1],
      data_format: 'channels_last',
    });
    expect(new ZeroPadding2D({ padding: [2, 3] }).getConfig()).toMatchObject({
      padding: [
        [2, 2],
        [3, 3],
      ],
    });
    expect(new ZeroPadding3D().getConfig()).toMatchObject({
      padding: [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
    });
    expect(() => new ZeroPadding2D({ padding: [1, 2, 3] })).toThrow(/padding=\(1, 2, 3\)/);
    expect(
      () =>
        new ZeroPadding2D({
          padding: [
            [1, -1],
            [0, 0],
          ],
        }),
    ).toThrow(/1st entry of padding=\(1, -1\)/);
  });
});

describe('Cropping1D/2D/3D', () => {
  it('crops the spatial axes', () => {
    runLayerTest(Cropping1D, {
      initArgs: { cropping: [1, 2] },
      inputData: range([1, 5, 1]),
      expectedOutputShape: [1, 2, 1],
      expectedOutput: [[[2], [3]]],
    });
    runLayerTest(Cropping2D, {
      initArgs: {
        cropping: [
          [1, 0],
          [0, 1],
        ],
      },
      inputData: range([1, 3, 3, 1]),
      expectedOutputShape: [1, 2, 2, 1],
      expectedOutput: [
        [
          [[4], [5]],
          [[7], [8]],
        ],
      ],
    });
    runLayerTest(Cropping2D, {
      initArgs: { cropping: 1, dataFormat: 'channels_first' },
      inputData: range([1, 1, 3, 4]),
      expectedOutputShape: [1, 1, 1, 2],
      expectedOutput: [[[[6, 7]]]],
    });
    runLayerTest(Cropping3D, {
      initArgs: {
        cropping: [
          [1, 0],
          [0, 0],
          [1, 1],
        ],
      },
      inputData: range([1, 2, 1, 3, 1]),
      expectedOutputShape: [1, 1, 1, 1, 1],
      expectedOutput: [[[[[5]]]]],
    });
  });

  it('errors name the layer and echo the shapes', () => {
    expect(() =>
      new Cropping1D({ cropping: [2, 2], name: 'crop' }).apply(tf.zeros([1, 4, 1])),
    ).toThrow(/"crop".*input_shape=\(1, 4, 1\), cropping=\(2, 2\)/);
    expect(new Cropping1D().getConfig()).toMatchObject({ cropping: [1, 1] });
    expect(new Cropping1D().getConfig()).not.toHaveProperty('data_format');
    expect(new Cropping2D().getConfig()).toMatchObject({
      cropping: [
        [0, 0],
        [0, 0],
      ],
    });
  });
});

describe('UpSampling1D/2D/3D', () => {
  it('nearest repeats rows/columns (Keras up_sampling2d_test correctness values)', () => {
    runLayerTest(UpSampling1D, {
      initArgs: { size: 3 },
      inputData: tf.tensor3d([[[1], [2]]]),
      expectedOutputShape: [1, 6, 1],
      expectedOutput: [[[1], [1], [1], [2], [2], [2]]],
    });
    runLayerTest(UpSampling2D, {
      initArgs: { size: [1, 2] },
      inputData: tf.reshape(tf.range(0, 12), [2, 2, 1, 3]),
      expectedOutputShape: [2, 2, 2, 3],
      expectedOutput: [
        [
          [
            [0, 1, 2],
            [0, 1, 2],
          ],
          [
            [3, 4, 5],
            [3, 4, 5],
          ],
        ],
        [
          [
            [6, 7, 8],
            [6, 7, 8],
          ],
          [
            [9, 10, 11],
            [9, 10, 11],
          ],
        ],
      ],
    });
    runLayerTest(UpSampling3D, {
      initArgs: { size: [2, 1, 2], dataFormat: 'channels_first' },
      inputData: range([1, 1, 1, 1, 2]),
      expectedOutputShape: [1, 1, 2, 1, 4],
      expectedOutput: [[[[[1, 1, 2, 2]], [[1, 1, 2, 2]]]]],
    });
  });

  it('bilinear uses half-pixel centers (TF2 resize), closed form on an affine ramp', () => {
    // x[i][j] = i + 10 j; half-pixel bilinear keeps affine ramps, clamped at the borders:
    // rows 3 -> 6: [0, .25, .75, 1.25, 1.75, 2]; cols 2 -> 4: [0, .25, .75, 1].
    const x = tf.tensor4d([0, 10, 1, 11, 2, 12], [1, 3, 2, 1]);
    const rows = [0, 0.25, 0.75, 1.25, 1.75, 2];
    const cols = [0, 0.25, 0.75, 1];
    const expected = [rows.map((r) => cols.map((c) => [r + 10 * c]))];
    runLayerTest(UpSampling2D, {
      initArgs: { size: 2, interpolation: 'bilinear' },
      inputData: x,
      expectedOutputShape: [1, 6, 4, 1],
      expectedOutput: expected,
    });
    const first = new UpSampling2D({
      size: 2,
      interpolation: 'bilinear',
      dataFormat: 'channels_first',
    });
    expect(first.apply(tf.transpose(x, [0, 3, 1, 2]))).toBeAllclose(
      tf.transpose(tf.tensor(expected), [0, 3, 1, 2]),
    );
    expect(() => new UpSampling2D({ interpolation: 'lanczos3' })).toThrow(
      /interpolation="lanczos3"/,
    );
    expect(() => new UpSampling1D({ size: 0 })).toThrow(/size=0/);
  });
});
