import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { runLayerTest } from '../testing/index.js';
import { Dense } from './dense.js';

beforeAll(() => ensureBackend());

describe('Dense', () => {
  it('computes activation(x @ W + b) with the fused path and without', () => {
    const x = tf.tensor2d([
      [1, -2],
      [3, 4],
    ]);
    const kernel = tf.tensor2d([
      [1, 2, -1],
      [0.5, -1, 2],
    ]);
    const bias = tf.tensor1d([0.1, -0.2, 0.3]);
    // x @ W + b = [[0.1, 3.8, -4.7], [5.1, 1.8, 5.3]]
    const relu = new Dense({ units: 3, activation: 'relu' });
    relu.build([null, 2]);
    relu.setWeights([kernel, bias]);
    expect(relu.apply(x)).toBeAllclose(
      [
        [0.1, 3.8, 0],
        [5.1, 1.8, 5.3],
      ],
      { atol: 1e-5 },
    );
    const tanh = new Dense({ units: 3, activation: 'tanh' });
    tanh.build([null, 2]);
    tanh.setWeights([kernel, bias]);
    const expected = [
      [0.1, 3.8, -4.7],
      [5.1, 1.8, 5.3],
    ].map((r) => r.map(Math.tanh));
    expect(tanh.apply(x)).toBeAllclose(expected, { atol: 1e-5 });
  });

  it('applies to the last axis of rank-3 inputs', () => {
    const d = new Dense({ units: 1, kernelInitializer: 'ones', useBias: false });
    const y = d.apply(tf.ones([2, 3, 4])) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 1]);
    expect(y).toBeAllclose(tf.fill([2, 3, 1], 4));
    expect(d.weights.map((w) => w.shape)).toEqual([[4, 1]]);
    // Integer inputs are promoted to float, as in Keras.
    expect(d.apply(tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32'))).toBeAllclose([[10]]);
  });

  it('rejects invalid units, echoing the value', () => {
    expect(() => new Dense({ units: 0 })).toThrow(
      'Received an invalid value for "units", expected a positive integer. Received: units=0',
    );
    expect(() => new Dense({ units: 1.5 })).toThrow(/Received: units=1.5/);
  });

  it('writes the Keras 3.15 config', () => {
    const d = new Dense({ units: 8, activation: 'relu', name: 'hidden' });
    expect(d.getConfig()).toEqual({
      name: 'hidden',
      trainable: true,
      dtype: {
        module: 'keras',
        class_name: 'DTypePolicy',
        config: { name: 'float32' },
        registered_name: null,
      },
      units: 8,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'GlorotUniform',
        config: { seed: null, input_axes: null, output_axes: null },
        registered_name: null,
      },
      bias_initializer: {
        module: 'keras.initializers',
        class_name: 'Zeros',
        config: {},
        registered_name: null,
      },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      quantization_config: null,
    });
    const back = Dense.fromConfig(d.getConfig());
    expect(back.getConfig()).toEqual(d.getConfig());
  });

  it('gets a gradient step through variableGrads', () => {
    const d = new Dense({ units: 2, activation: 'relu', kernelInitializer: 'ones' });
    const x = tf.tensor2d([[1, 2]]);
    d.apply(x);
    const { grads } = tf.variableGrads(
      () => tf.sum(d.apply(x) as tf.Tensor) as tf.Scalar,
      d.trainableWeights.map((w) => w.value),
    );
    // d/dW sum(relu(xW+b)) = x^T * 1 where active (all active: xW = 3)
    expect(grads[d.kernel?.value.name as string]).toBeAllclose([
      [1, 1],
      [2, 2],
    ]);
    expect(grads[d.bias?.value.name as string]).toBeAllclose([1, 1]);
  });
});

describe('Dense through runLayerTest', () => {
  it('passes the shared harness', () => {
    runLayerTest(Dense, {
      initArgs: { units: 3, activation: 'relu', kernelRegularizer: 'l2' },
      inputShape: [2, 4],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      expectedNumLosses: 1,
      supportsMasking: true,
    });
    runLayerTest(Dense, {
      initArgs: {
        units: 2,
        kernelInitializer: 'ones',
        biasInitializer: { class_name: 'Constant', config: { value: 0.5 } },
      },
      inputData: tf.tensor3d([
        [
          [1, 2],
          [3, 4],
        ],
      ]),
      expectedOutputShape: [1, 2, 2],
      expectedOutput: [
        [
          [3.5, 3.5],
          [7.5, 7.5],
        ],
      ],
    });
  });

  it('the harness catches a layer whose config does not round-trip', () => {
    class Forgetful extends Dense {
      static override className = 'Forgetful';
      override getConfig() {
        return { ...super.getConfig(), units: this.units + 1 };
      }
    }
    expect(() => runLayerTest(Forgetful, { initArgs: { units: 2 }, inputShape: [1, 2] })).toThrow(
      /runLayerTest\(Forgetful\): fromConfig\(getConfig\(\)\) changed the config/,
    );
  });
});
