import { ensureBackend } from '@keras-ts/backend';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { GlobalAveragePooling2D } from '../pooling/global-average-pooling2d.js';
import { runLayerTest } from '../testing/index.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { DepthwiseConv1D } from './depthwise-conv1d.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { SeparableConv1D } from './separable-conv1d.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { loadKerasFixture } from './test-utils/keras-fixture.js';
import { runWithWeights, tensorOf, toFirst } from './test-utils/layer-check.js';
import { nested, refConv, refDepthwise, sample } from './test-utils/reference.js';

beforeAll(() => ensureBackend());

const tol = { rtol: 1e-4, atol: 1e-5 };

describe('DepthwiseConv1D / DepthwiseConv2D', () => {
  it('pass runLayerTest (Keras depthwise_conv_test shapes)', () => {
    runLayerTest(DepthwiseConv1D, {
      initArgs: { depthMultiplier: 5, kernelSize: 2, strides: 1, padding: 'valid' },
      inputShape: [3, 5, 4],
      expectedOutputShape: [3, 4, 20],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
    });
    runLayerTest(DepthwiseConv2D, {
      initArgs: {
        depthMultiplier: 6,
        kernelSize: 2,
        strides: 2,
        padding: 'same',
        dataFormat: 'channels_first',
      },
      inputShape: [3, 4, 5, 5],
      expectedOutputShape: [3, 24, 3, 3],
      expectedNumTrainableWeights: 2,
    });
  });

  it('train with dilation (runLayerTest gradient step)', () => {
    runLayerTest(DepthwiseConv2D, {
      initArgs: { kernelSize: 3, dilationRate: 2, padding: 'same' },
      inputShape: [2, 6, 6, 3],
      expectedOutputShape: [2, 6, 6, 3],
    });
    runLayerTest(SeparableConv1D, {
      initArgs: { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' },
      inputShape: [2, 8, 3],
      expectedOutputShape: [2, 8, 2],
    });
  });

  it('match the loop reference (1-D dilation 2, channels_first 2-D)', () => {
    const x1 = sample([2, 9, 3], 3);
    const k1 = sample([3, 3, 2], 5);
    const b1 = sample([6], 7);
    const e1 = refDepthwise(x1, k1, {
      strides: [1],
      dilation: [2],
      padding: 'same',
      bias: b1.data,
    });
    const l1 = new DepthwiseConv1D({
      kernelSize: 3,
      depthMultiplier: 2,
      dilationRate: 2,
      padding: 'same',
    });
    expect(runWithWeights(l1, tensorOf(x1), [k1, b1])).toBeAllclose(nested(e1), tol);

    const x2 = sample([2, 6, 7, 3], 11);
    const k2 = sample([3, 2, 3, 2], 13);
    const e2 = refDepthwise(x2, k2, { strides: [2, 2], padding: 'valid' });
    const l2 = new DepthwiseConv2D({
      kernelSize: [3, 2],
      strides: 2,
      depthMultiplier: 2,
      useBias: false,
      dataFormat: 'channels_first',
    });
    expect(runWithWeights(l2, tensorOf(toFirst(x2)), [k2])).toBeAllclose(nested(toFirst(e2)), tol);
    expect(l2.weights.map((w) => w.name)).toEqual(['kernel']);
  });
});

describe('SeparableConv1D / SeparableConv2D', () => {
  it('pass runLayerTest (Keras separable_conv_test shapes)', () => {
    runLayerTest(SeparableConv1D, {
      initArgs: { depthMultiplier: 5, filters: 6, kernelSize: 2, strides: 1, padding: 'valid' },
      inputShape: [3, 5, 4],
      expectedOutputShape: [3, 4, 6],
      expectedNumTrainableWeights: 3,
    });
    runLayerTest(SeparableConv2D, {
      initArgs: { depthMultiplier: 2, filters: 6, kernelSize: 2, strides: 2, padding: 'same' },
      inputShape: [3, 4, 4, 5],
      expectedOutputShape: [3, 2, 2, 6],
      expectedNumTrainableWeights: 3,
    });
  });

  it('equal a depthwise then a pointwise reference convolution', () => {
    const x = sample([2, 7, 6, 3], 31);
    const dk = sample([3, 3, 3, 2], 37);
    const pk = sample([1, 1, 6, 4], 41);
    const b = sample([4], 43);
    const mid = refDepthwise(x, dk, { strides: [1, 1], dilation: [2, 2], padding: 'same' });
    const expected = refConv(mid, pk, { strides: [1, 1], padding: 'valid', bias: b.data });
    const layer = new SeparableConv2D({
      filters: 4,
      kernelSize: 3,
      depthMultiplier: 2,
      dilationRate: 2,
      padding: 'same',
    });
    expect(runWithWeights(layer, tensorOf(x), [dk, pk, b])).toBeAllclose(nested(expected), tol);
    expect(layer.weights.map((w) => w.name)).toEqual([
      'depthwise_kernel',
      'pointwise_kernel',
      'bias',
    ]);
  });
});

describe('Keras 3 fixture h1_conv_extras', () => {
  it('reproduces Conv2DTranspose, DepthwiseConv2D, SeparableConv2D and GlobalAveragePooling2D', async () => {
    const fx = await loadKerasFixture('h1_conv_extras');
    const strict = { rtol: 1e-5, atol: 2e-6 };
    const set = (
      layer: { maybeBuild(s: number[]): void; setWeights(w: tf.Tensor[]): void },
      x: tf.Tensor,
      name: string,
      vars: string[],
    ) => {
      layer.maybeBuild(x.shape);
      layer.setWeights(vars.map((v) => fx.weight(name, v)));
    };
    const image = fx.input('image');
    const deconv1 = new Conv2DTranspose({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    });
    set(deconv1, image, 'deconv_same_s2', ['kernel', 'bias']);
    const h1 = deconv1.apply(image) as tf.Tensor;
    expect(h1).toBeAllclose(fx.intermediate('deconv_same_s2'), strict);

    const deconv2 = new Conv2DTranspose({ filters: 3, kernelSize: 2, padding: 'valid' });
    set(deconv2, h1, 'deconv_valid', ['kernel', 'bias']);
    const h2 = deconv2.apply(h1) as tf.Tensor;
    expect(h2).toBeAllclose(fx.intermediate('deconv_valid'), strict);

    const depthwise = new DepthwiseConv2D({
      kernelSize: 3,
      depthMultiplier: 2,
      activation: 'relu',
    });
    set(depthwise, h2, 'depthwise', ['kernel', 'bias']);
    const h3 = depthwise.apply(h2) as tf.Tensor;
    expect(h3).toBeAllclose(fx.intermediate('depthwise'), strict);

    const separable = new SeparableConv2D({
      filters: 5,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
    });
    set(separable, h3, 'separable_same_s2', ['depthwise_kernel', 'pointwise_kernel', 'bias']);
    const h4 = separable.apply(h3) as tf.Tensor;
    expect(h4).toBeAllclose(fx.intermediate('separable_same_s2'), strict);

    expect(new GlobalAveragePooling2D().apply(h4)).toBeAllclose(fx.intermediate('gap'), strict);
    fx.close();
  });
});
