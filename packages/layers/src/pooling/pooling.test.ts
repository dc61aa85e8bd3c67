import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Conv2D } from '../convolutional/conv2d.js';
import { loadKerasFixture } from '../convolutional/test-utils/keras-fixture.js';
import { tensorOf, toFirst } from '../convolutional/test-utils/layer-check.js';
import { nested, refPool, sample } from '../convolutional/test-utils/reference.js';
import { runLayerTest } from '../testing/index.js';
import { AveragePooling1D } from './average-pooling1d.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { AveragePooling3D } from './average-pooling3d.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { GlobalAveragePooling3D } from './global-average-pooling3d.js';
import { GlobalMaxPooling1D } from './global-max-pooling1d.js';
import { GlobalMaxPooling2D } from './global-max-pooling2d.js';
import { GlobalMaxPooling3D } from './global-max-pooling3d.js';
import { MaxPooling1D } from './max-pooling1d.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { MaxPooling3D } from './max-pooling3d.js';

beforeAll(() => ensureBackend());

const tol = { rtol: 1e-5, atol: 1e-6 };

describe('Max/AveragePooling1D/2D/3D', () => {
  const cases = [
    {
      cls: MaxPooling1D,
      mode: 'max',
      x: [2, 7, 3],
      poolSize: [3],
      strides: [2],
      padding: 'same',
      out: [2, 4, 3],
    },
    {
      cls: AveragePooling1D,
      mode: 'average',
      x: [2, 7, 3],
      poolSize: [2],
      strides: [1],
      padding: 'valid',
      out: [2, 6, 3],
    },
    {
      cls: MaxPooling2D,
      mode: 'max',
      x: [2, 5, 6, 2],
      poolSize: [2, 3],
      strides: [2, 2],
      padding: 'valid',
      out: [2, 2, 2, 2],
    },
    {
      cls: AveragePooling2D,
      mode: 'average',
      x: [2, 5, 5, 2],
      poolSize: [3, 3],
      strides: [2, 2],
      padding: 'same',
      out: [2, 3, 3, 2],
    },
    {
      cls: MaxPooling3D,
      mode: 'max',
      x: [1, 4, 5, 3, 2],
      poolSize: [2, 2, 2],
      strides: [2, 2, 1],
      padding: 'same',
      out: [1, 2, 3, 3, 2],
    },
    {
      cls: AveragePooling3D,
      mode: 'average',
      x: [1, 5, 4, 4, 2],
      poolSize: [3, 2, 2],
      strides: [2, 2, 2],
      padding: 'same',
      out: [1, 3, 2, 2, 2],
    },
  ] as const;
  for (const c of cases) {
    it(`${c.cls.name} ${c.padding} matches the loop reference, both data formats`, () => {
      const x = sample([...c.x], 5);
      const expected = refPool(x, {
        mode: c.mode,
        poolSize: [...c.poolSize],
        strides: [...c.strides],
        padding: c.padding,
      });
      runLayerTest(c.cls, {
        initArgs: { poolSize: [...c.poolSize], strides: [...c.strides], padding: c.padding },
        inputData: tensorOf(x),
        expectedOutputShape: [...c.out],
        expectedOutput: tf.tensor(expected.data, expected.shape),
        expectedNumTrainableWeights: 0,
        expectedNumNonTrainableWeights: 0,
        rtol: tol.rtol,
        atol: tol.atol,
      });
      if (c.x.length > 3) {
        const layer = new c.cls({
          poolSize: [...c.poolSize],
          strides: [...c.strides],
          padding: c.padding,
          dataFormat: 'channels_first',
        });
        expect(layer.apply(tensorOf(toFirst(x)))).toBeAllclose(nested(toFirst(expected)), tol);
      }
    });
  }

  it('defaults strides to pool_size and writes Keras config keys', () => {
    const layer = new MaxPooling2D({ name: 'maxpool', poolSize: 2, strides: 1 });
    expect(layer.getConfig()).toMatchObject({
      name: 'maxpool',
      trainable: true,
      pool_size: [2, 2],
      padding: 'valid',
      strides: [1, 1],
      data_format: 'channels_last',
    });
    expect(new AveragePooling1D({ poolSize: 3 }).strides).toEqual([3]);
    expect(new MaxPooling3D().poolSize).toEqual([2, 2, 2]);
  });

  it('reproduces Keras 3 MaxPooling2D(2, strides=1) in b_cnn', async () => {
    const fx = await loadKerasFixture('b_cnn');
    const conv = new Conv2D({ filters: 6, kernelSize: 3, strides: 2, activation: 'relu' });
    const h = fx.intermediate('conv_same_s2');
    conv.maybeBuild(h.shape);
    conv.setWeights([fx.weight('conv_valid_s2', 'kernel'), fx.weight('conv_valid_s2', 'bias')]);
    const pooled = new MaxPooling2D({ poolSize: 2, strides: 1 }).apply(conv.apply(h) as tf.Tensor);
    expect(pooled).toBeAllclose(fx.intermediate('maxpool'), { rtol: 1e-5, atol: 1e-6 });
    fx.close();
  });

  it('errors echo the arguments and name the layer', () => {
    expect(() => new MaxPooling2D({ poolSize: [2, 0] })).toThrow(/pool_size=\(2, 0\)/);
    expect(() => new AveragePooling2D({ poolSize: 2, padding: 'causal' })).toThrow(
      /padding='causal'/,
    );
    expect(() =>
      new MaxPooling2D({ poolSize: 4, name: 'mp' }).apply(tf.zeros([1, 3, 3, 1])),
    ).toThrow(/zero or negative in layer "mp".*\(1, 3, 3, 1\)/);
    expect(() => new MaxPooling2D({ name: 'mp2' }).apply(tf.zeros([3, 3, 1]))).toThrow(
      /"mp2".*expected ndim=4, found ndim=3/,
    );
  });
});

describe('Global pooling', () => {
  it('2-D and 3-D reduce the spatial axes (keepdims, channels_first)', () => {
    const x = tf.reshape(tf.range(0, 2 * 3 * 4 * 2), [2, 3, 4, 2]);
    // Closed form: the mean of 0..23 step 2 (+ c) per sample block.
    const mean0 = [...Array(12).keys()].reduce((a, i) => a + 2 * i, 0) / 12;
    runLayerTest(GlobalAveragePooling2D, {
      initArgs: {},
      inputData: x,
      expectedOutputShape: [2, 2],
      expectedOutput: [
        [mean0, mean0 + 1],
        [mean0 + 24, mean0 + 25],
      ],
    });
    runLayerTest(GlobalMaxPooling2D, {
      initArgs: { keepdims: true },
      inputData: x,
      expectedOutputShape: [2, 1, 1, 2],
      expectedOutput: [[[[22, 23]]], [[[46, 47]]]],
    });
    runLayerTest(GlobalMaxPooling2D, {
      initArgs: { dataFormat: 'channels_first' },
      inputData: x,
      expectedOutputShape: [2, 3],
      expectedOutput: [
        [7, 15, 23],
        [31, 39, 47],
      ],
    });
    const v = tf.reshape(tf.range(0, 16), [1, 2, 2, 2, 2]);
    runLayerTest(GlobalAveragePooling3D, {
      initArgs: { keepdims: true },
      inputData: v,
      expectedOutputShape: [1, 1, 1, 1, 2],
      expectedOutput: [[[[[7, 8]]]]],
    });
    runLayerTest(GlobalMaxPooling3D, {
      initArgs: { dataFormat: 'channels_first' },
      inputData: v,
      expectedOutputShape: [1, 2],
      expectedOutput: [[7, 15]],
    });
  });

  it('1-D: max, mean, and the masked mean of Keras', () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [3, 4],
        [5, 9],
      ],
    ]);
    runLayerTest(GlobalMaxPooling1D, {
      initArgs: {},
      inputData: x,
      expectedOutputShape: [1, 2],
      expectedOutput: [[5, 9]],
    });
    runLayerTest(GlobalAveragePooling1D, {
      initArgs: {},
      inputData: x,
      expectedOutputShape: [1, 2],
      expectedOutput: [[3, 5]],
      supportsMasking: true,
    });
    const masked = new GlobalAveragePooling1D().apply(x, {
      mask: tf.tensor2d([[1, 0, 1]], [1, 3], 'bool'),
    });
    expect(masked).toBeAllclose([[3, 5.5]]);
    const first = new GlobalAveragePooling1D({ dataFormat: 'channels_first', keepdims: true });
    expect(first.apply(x)).toBeAllclose([[[1.5], [3.5], [7]]]);
    expect(first.getConfig()).toMatchObject({ data_format: 'channels_first', keepdims: true });
  });
});
