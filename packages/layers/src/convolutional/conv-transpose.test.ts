import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { runLayerTest } from '../testing/index.js';
import { Conv1DTranspose } from './conv1d-transpose.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Conv3DTranspose } from './conv3d-transpose.js';
import { runWithWeights, tensorOf, toFirst } from './test-utils/layer-check.js';
import { nested, refConvTranspose, refTransposeLength, sample } from './test-utils/reference.js';

beforeAll(() => ensureBackend());

const tol = { rtol: 1e-4, atol: 1e-5 };

describe('Keras output lengths of transposed convolutions', () => {
  it('follow _get_output_shape_given_tf_padding', () => {
    // Keras conv_transpose_test: 'valid' with kernel < stride keeps max(k, s).
    expect(refTransposeLength(6, 3, 2, 1, 'same', null)).toBe(12);
    expect(refTransposeLength(12, 2, 1, 1, 'valid', null)).toBe(13);
    expect(refTransposeLength(3, 2, 3, 1, 'valid', null)).toBe(9);
    expect(refTransposeLength(4, 3, 2, 1, 'same', 1)).toBe(8);
  });
});

describe('Conv1DTranspose', () => {
  it('passes runLayerTest and matches the scatter reference (output_padding)', () => {
    runLayerTest(Conv1DTranspose, {
      initArgs: { filters: 5, kernelSize: 2, strides: 3, padding: 'valid', outputPadding: 1 },
      inputShape: [2, 4, 3],
      expectedOutputShape: [2, 12, 5],
      expectedNumTrainableWeights: 2,
    });
    const x = sample([2, 4, 3], 3);
    const k = sample([2, 5, 3], 5);
    const b = sample([5], 7);
    const expected = refConvTranspose(x, k, {
      strides: [3],
      padding: 'valid',
      outputPadding: [1],
      bias: b.data,
    });
    const layer = new Conv1DTranspose({ filters: 5, kernelSize: 2, strides: 3, outputPadding: 1 });
    expect(runWithWeights(layer, tensorOf(x), [k, b])).toBeAllclose(nested(expected), tol);
  });
});

describe('Conv2DTranspose', () => {
  it('passes runLayerTest (Keras conv_transpose_test shapes)', () => {
    runLayerTest(Conv2DTranspose, {
      initArgs: {
        filters: 6,
        kernelSize: 2,
        strides: 2,
        padding: 'valid',
        dataFormat: 'channels_last',
      },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 8, 8, 6],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
    });
    runLayerTest(Conv2DTranspose, {
      initArgs: {
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        dataFormat: 'channels_first',
      },
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 2, 8, 10],
      expectedNumTrainableWeights: 2,
    });
  });

  it('trains with a dilated kernel (runLayerTest gradient step)', () => {
    runLayerTest(Conv2DTranspose, {
      initArgs: { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' },
      inputShape: [2, 5, 5, 3],
      expectedOutputShape: [2, 5, 5, 2],
    });
  });

  it('matches the scatter reference: dilation, channels_first, tanh', () => {
    const x = sample([2, 5, 4, 3], 11);
    const k = sample([3, 2, 4, 3], 13);
    const b = sample([4], 17);
    const ref = refConvTranspose(x, k, {
      strides: [1, 1],
      dilation: [2, 2],
      padding: 'same',
      bias: b.data,
    });
    const expected = { ...ref, data: ref.data.map(Math.tanh) };
    const layer = new Conv2DTranspose({
      filters: 4,
      kernelSize: [3, 2],
      dilationRate: 2,
      padding: 'same',
      activation: 'tanh',
      dataFormat: 'channels_first',
    });
    expect(runWithWeights(layer, tensorOf(toFirst(x)), [k, b])).toBeAllclose(
      nested(toFirst(expected)),
      tol,
    );
  });

  it("'same' with an even kernel and no extra output pads like Keras's torch/JAX backends", () => {
    // in 3, kernel [1, 10], stride 2, same -> out 4; torch: padding 1, output_padding 0, so
    // y[o] = sum x[i] w[t] over o = 2i + t - 1: [1*10, 2*1, 2*10, 3*1].
    const layer = new Conv1DTranspose({
      filters: 1,
      kernelSize: 2,
      strides: 2,
      padding: 'same',
      outputPadding: 0,
      useBias: false,
    });
    layer.maybeBuild([1, 3, 1]);
    layer.setWeights([tf.tensor3d([[[1]], [[10]]])]);
    expect(layer.apply(tf.tensor3d([[[1], [2], [3]]]))).toBeAllclose([[[10], [2], [20], [3]]]);
    const layer2 = new Conv2DTranspose({
      filters: 1,
      kernelSize: [1, 2],
      strides: [1, 2],
      padding: 'same',
      outputPadding: [0, 0],
      useBias: false,
    });
    layer2.maybeBuild([1, 1, 3, 1]);
    layer2.setWeights([tf.tensor4d([[[[1]], [[10]]]])]);
    expect(layer2.apply(tf.tensor4d([[[[1], [2], [3]]]]))).toBeAllclose([[[[10], [2], [20], [3]]]]);
  });

  it('rejects output_padding >= strides with the values', () => {
    expect(
      () => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 }),
    ).toThrow(/output_padding=\(2, 2\), strides=\(2, 2\)/);
    expect(() => new Conv2DTranspose({ filters: -1, kernelSize: 3 })).toThrow(/filters=-1/);
  });
});

describe('Conv3DTranspose', () => {
  it('passes runLayerTest and matches the scatter reference', () => {
    runLayerTest(Conv3DTranspose, {
      initArgs: { filters: 3, kernelSize: [2, 3, 2], strides: 2, padding: 'same' },
      inputShape: [2, 2, 3, 2, 2],
      expectedOutputShape: [2, 4, 6, 4, 3],
      expectedNumTrainableWeights: 2,
    });
    const x = sample([1, 3, 2, 3, 2], 19);
    const k = sample([3, 2, 2, 3, 2], 23);
    const b = sample([3], 29);
    const expected = refConvTranspose(x, k, { strides: [2, 1, 2], padding: 'valid', bias: b.data });
    const layer = new Conv3DTranspose({ filters: 3, kernelSize: [3, 2, 2], strides: [2, 1, 2] });
    const y = runWithWeights(layer, tensorOf(x), [k, b]);
    expect(y.shape).toEqual([1, 7, 3, 6, 3]);
    expect(y).toBeAllclose(nested(expected), tol);
  });
});
