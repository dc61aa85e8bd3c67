import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Input } from '../engine/input-layer.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import { MaxPooling1D } from '../pooling/max-pooling1d.js';
import { runLayerTest } from '../testing/index.js';
import { Conv1D } from './conv1d.js';
import { Conv1DTranspose } from './conv1d-transpose.js';
import { Conv2D } from './conv2d.js';
import { Conv3D } from './conv3d.js';
import { loadKerasFixture } from './test-utils/keras-fixture.js';
import { runWithWeights, tensorOf, toFirst } from './test-utils/layer-check.js';
import { nested, refConv, sample, tfPads } from './test-utils/reference.js';

beforeAll(() => ensureBackend());

const tol = { rtol: 1e-4, atol: 1e-5 };

describe('Conv1D', () => {
  it('passes runLayerTest (same, strides 2)', () => {
    runLayerTest(Conv1D, {
      initArgs: { filters: 5, kernelSize: 3, strides: 2, padding: 'same' },
      inputShape: [2, 9, 4],
      expectedOutputShape: [2, 5, 5],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
    });
  });

  it('causal padding pads only the start (dilation 2)', () => {
    runLayerTest(Conv1D, {
      initArgs: { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal', useBias: false },
      inputShape: [2, 8, 3],
      expectedOutputShape: [2, 8, 2],
      expectedNumTrainableWeights: 1,
    });
    const x = sample([2, 8, 3], 2);
    const k = sample([3, 3, 2], 4);
    const y = runWithWeights(
      new Conv1D({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal', useBias: false }),
      tensorOf(x),
      [k],
    );
    expect(tfPads(8, 3, 1, 2, 'causal')).toEqual([4, 0]);
    expect(y).toBeAllclose(
      nested(refConv(x, k, { strides: [1], dilation: [2], padding: 'causal' })),
      tol,
    );
    // Causality: output step t must not change when inputs after t change.
    const x2 = { ...x, data: x.data.map((v, i) => (Math.floor(i / 3) % 8 >= 5 ? v + 10 : v)) };
    const y2 = runWithWeights(
      new Conv1D({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'causal', useBias: false }),
      tensorOf(x2),
      [k],
    );
    expect(tf.slice(y2, [0, 0, 0], [2, 5, 2])).toBeAllclose(tf.slice(y, [0, 0, 0], [2, 5, 2]), tol);
  });

  it('causal padding with channels_first pads the start of the steps axis', () => {
    const x = sample([2, 8, 3], 6);
    const k = sample([3, 3, 2], 8);
    const expected = refConv(x, k, { strides: [1], padding: 'causal' });
    const layer = new Conv1D({
      filters: 2,
      kernelSize: 3,
      padding: 'causal',
      useBias: false,
      dataFormat: 'channels_first',
    });
    const y = runWithWeights(layer, tensorOf(toFirst(x)), [k]);
    expect(y.shape).toEqual([2, 2, 8]);
    expect(y).toBeAllclose(nested(toFirst(expected)), tol);
  });

  it('matches the loop reference, channels_first, groups 2', () => {
    const x = sample([2, 7, 4], 3);
    const k = sample([3, 2, 6], 5);
    const b = sample([6], 7);
    const expected = refConv(x, k, { strides: [1], padding: 'valid', groups: 2, bias: b.data });
    const layer = new Conv1D({
      filters: 6,
      kernelSize: 3,
      groups: 2,
      dataFormat: 'channels_first',
    });
    const y = runWithWeights(layer, tensorOf(toFirst(x)), [k, b]);
    expect(y).toBeAllclose(nested(toFirst(expected)), tol);
  });
});

describe('Conv2D', () => {
  it('passes runLayerTest (Keras conv_test shapes)', () => {
    runLayerTest(Conv2D, {
      initArgs: { filters: 5, kernelSize: 2, strides: 1, padding: 'valid', dilationRate: 1 },
      inputShape: [3, 5, 5, 4],
      expectedOutputShape: [3, 4, 4, 5],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: false,
    });
    runLayerTest(Conv2D, {
      initArgs: {
        filters: 6,
        kernelSize: [2, 3],
        strides: [2, 1],
        padding: 'same',
        groups: 2,
        activation: 'relu',
      },
      inputShape: [2, 5, 4, 4],
      expectedOutputShape: [2, 3, 4, 6],
      expectedNumTrainableWeights: 2,
    });
  });

  it('runs channels_first, with dilation and a non-fusable activation, like the reference', () => {
    const x = sample([2, 7, 6, 3], 11);
    const k = sample([3, 3, 3, 4], 13);
    const b = sample([4], 17);
    const ref = refConv(x, k, { strides: [1, 1], dilation: [2, 1], padding: 'same', bias: b.data });
    const expected = { ...ref, data: ref.data.map(Math.tanh) };
    const layer = new Conv2D({
      filters: 4,
      kernelSize: 3,
      dilationRate: [2, 1],
      padding: 'same',
      activation: 'tanh',
      dataFormat: 'channels_first',
    });
    const y = runWithWeights(layer, tensorOf(toFirst(x)), [k, b]);
    expect(y.shape).toEqual([2, 4, 7, 6]);
    expect(y).toBeAllclose(nested(toFirst(expected)), tol);
  });

  it('reproduces Keras 3 (b_cnn): same/stride-2 (asymmetric padding) and valid/stride-2', async () => {
    const fx = await loadKerasFixture('b_cnn');
    const image = fx.input('image');
    const same = new Conv2D({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    });
    same.maybeBuild(image.shape);
    same.setWeights([fx.weight('conv_same_s2', 'kernel'), fx.weight('conv_same_s2', 'bias')]);
    const out1 = same.apply(image) as tf.Tensor;
    expect(out1.shape).toEqual([2, 7, 7, 4]);
    expect(out1).toBeAllclose(fx.intermediate('conv_same_s2'), { rtol: 1e-5, atol: 1e-6 });
    const valid = new Conv2D({
      filters: 6,
      kernelSize: [3, 3],
      strides: [2, 2],
      activation: 'relu',
    });
    valid.maybeBuild(out1.shape);
    valid.setWeights([fx.weight('conv_valid_s2', 'kernel'), fx.weight('conv_valid_s2', 'bias')]);
    expect(valid.apply(out1)).toBeAllclose(fx.intermediate('conv_valid_s2'), {
      rtol: 1e-5,
      atol: 1e-6,
    });
    fx.close();
  });

  it('writes the Keras 3 config of the fixture layer', async () => {
    const layer = new Conv2D({
      name: 'conv_same_s2',
      filters: 4,
      kernelSize: [3, 3],
      strides: [2, 2],
      padding: 'same',
      activation: 'relu',
    });
    const config = layer.getConfig();
    expect(config).toMatchObject({
      name: 'conv_same_s2',
      trainable: true,
      filters: 4,
      kernel_size: [3, 3],
      strides: [2, 2],
      padding: 'same',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      groups: 1,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform' },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    });
  });

  it('rejects bad arguments and echoes them', () => {
    expect(() => new Conv2D({ filters: 0, kernelSize: 3 })).toThrow(/Received filters=0/);
    expect(() => new Conv2D({ filters: 2, kernelSize: [3, 0] })).toThrow(/kernel_size=\(3, 0\)/);
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'full' })).toThrow(
      /padding='full'/,
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, padding: 'causal' })).toThrow(
      /padding='causal'/,
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(
      /strides=\(2, 2\) and dilation_rate=\(2, 2\)/,
    );
    expect(() => new Conv2D({ filters: 3, kernelSize: 3, groups: 2 })).toThrow(
      /groups=2, filters=3/,
    );
    expect(() => new Conv2D({ filters: 2, kernelSize: 3, dataFormat: 'nchw' })).toThrow(
      /data_format='nchw'/,
    );
  });

  it('names the layer and the shapes on a wrong input', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 3, name: 'c2' });
    expect(() => layer.apply(tf.zeros([2, 5, 3]))).toThrow(/c2.*ndim=4.*\(2, 5, 3\)/);
    layer.apply(tf.zeros([1, 5, 5, 3]));
    expect(() => layer.apply(tf.zeros([1, 5, 5, 2]))).toThrow(
      /c2.*axis 3 of input shape to have value 3.*\(1, 5, 5, 2\)/,
    );
    expect(() =>
      new Conv2D({ filters: 2, kernelSize: 4, name: 'c3' }).apply(tf.zeros([1, 3, 3, 1])),
    ).toThrow(/zero or negative in layer "c3".*\(1, 3, 3, 1\)/);
  });
});

describe('Conv3D', () => {
  it('passes runLayerTest and matches the loop reference', () => {
    runLayerTest(Conv3D, {
      initArgs: { filters: 3, kernelSize: 2, strides: [2, 1, 2], padding: 'same' },
      inputShape: [2, 4, 3, 5, 2],
      expectedOutputShape: [2, 2, 3, 3, 3],
      expectedNumTrainableWeights: 2,
    });
    const x = sample([1, 4, 5, 4, 2], 19);
    const k = sample([2, 3, 2, 2, 3], 23);
    const b = sample([3], 29);
    const expected = refConv(x, k, { strides: [1, 2, 1], padding: 'valid', bias: b.data });
    const y = runWithWeights(
      new Conv3D({
        filters: 3,
        kernelSize: [2, 3, 2],
        strides: [1, 2, 1],
        dataFormat: 'channels_first',
      }),
      tensorOf(toFirst(x)),
      [k, b],
    );
    expect(y).toBeAllclose(nested(toFirst(expected)), tol);
  });
});

describe('symbolic shapes with unknown dimensions', () => {
  it('keeps unknown batch and steps unknown through conv, pooling and transposed conv', () => {
    const x = Input({ shape: [null, 3] }) as SymbolicTensor;
    const h = new Conv1D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(
      x,
    ) as SymbolicTensor;
    expect(h.shape).toEqual([null, null, 4]);
    const p = new MaxPooling1D({ poolSize: 2 }).apply(h) as SymbolicTensor;
    expect(p.shape).toEqual([null, null, 4]);
    const t = new Conv1DTranspose({ filters: 2, kernelSize: 3, strides: 2 }).apply(
      p,
    ) as SymbolicTensor;
    expect(t.shape).toEqual([null, null, 2]);
    const fixed = Input({ shape: [10, 3] }) as SymbolicTensor;
    const c = new Conv1D({ filters: 4, kernelSize: 3, dilationRate: 2 }).apply(
      fixed,
    ) as SymbolicTensor;
    expect(c.shape).toEqual([null, 6, 4]);
  });
});
