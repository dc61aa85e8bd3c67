import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { runLayerTest } from '../testing/index.js';
import { ELU } from './elu.js';
import { LeakyReLU } from './leaky-relu.js';
import { PReLU } from './prelu.js';
import { ReLU } from './relu.js';
import { Softmax } from './softmax.js';

beforeAll(() => ensureBackend());

describe('ReLU', () => {
  it('Keras relu_test values: max_value, negative_slope, threshold', () => {
    runLayerTest(ReLU, {
      initArgs: { maxValue: 10, negativeSlope: 0, threshold: 0 },
      inputData: tf.tensor1d([-10, -5, 0, 5, 10]),
      expectedOutputShape: [5],
      expectedOutput: [0, 0, 0, 5, 10],
      supportsMasking: true,
      expectedNumTrainableWeights: 0,
    });
    runLayerTest(ReLU, {
      initArgs: { maxValue: 10, negativeSlope: 0.5, threshold: 0 },
      inputData: tf.tensor1d([-10, -5, 0, 5, 10]),
      expectedOutput: [-5, -2.5, 0, 5, 10],
    });
    runLayerTest(ReLU, {
      initArgs: { maxValue: 8, negativeSlope: 0, threshold: 5 },
      inputData: tf.tensor1d([6, 7, 0, 5, 10]),
      expectedOutput: [6, 7, 0, 0, 8],
    });
    expect(new ReLU({ maxValue: 6 }).getConfig()).toMatchObject({
      max_value: 6,
      negative_slope: 0,
      threshold: 0,
    });
  });

  it('echoes invalid arguments', () => {
    expect(() => new ReLU({ maxValue: -10 })).toThrow(
      /max_value of a ReLU layer cannot be.*max_value=-10/,
    );
    expect(() => new ReLU({ negativeSlope: -10 })).toThrow(/negative_slope=-10/);
    expect(() => new ReLU({ threshold: -10 })).toThrow(/threshold=-10/);
  });
});

describe('LeakyReLU', () => {
  it('defaults to Keras 3 negative_slope 0.3 and reads Keras 2 `alpha`', () => {
    runLayerTest(LeakyReLU, {
      initArgs: {},
      inputData: tf.tensor1d([-10, -5, 0, 5, 10]),
      expectedOutput: [-3, -1.5, 0, 5, 10],
      supportsMasking: true,
    });
    runLayerTest(LeakyReLU, {
      initArgs: { negativeSlope: 0.5 },
      inputData: tf.tensor1d([-10, -5, 0, 5, 10]),
      expectedOutput: [-5, -2.5, 0, 5, 10],
    });
    const keras2 = LeakyReLU.fromConfig({
      name: 'lr',
      trainable: true,
      dtype: 'float32',
      alpha: 0.1,
    });
    expect(keras2.negativeSlope).toBe(0.1);
    expect(keras2.getConfig()).toMatchObject({ negative_slope: 0.1 });
    expect(keras2.getConfig()).not.toHaveProperty('alpha');
    expect(() => new LeakyReLU({ negativeSlope: -1 })).toThrow(/negative_slope=-1/);
  });
});

describe('PReLU', () => {
  it('relu(x) - alpha * relu(-x) with one alpha per shared-axis slice', () => {
    const { layer } = runLayerTest(PReLU, {
      initArgs: { alphaInitializer: 'ones', sharedAxes: [1, 2] },
      inputShape: [2, 3, 4, 5],
      expectedOutputShape: [2, 3, 4, 5],
      expectedNumTrainableWeights: 1,
      supportsMasking: true,
    });
    expect(layer.weights[0]?.shape).toEqual([1, 1, 5]);
    const prelu = new PReLU({ sharedAxes: 1 });
    const x = tf.tensor3d([
      [
        [-2, 3],
        [4, -5],
      ],
    ]);
    prelu.maybeBuild(x.shape);
    prelu.setWeights([tf.tensor2d([[0.5, 0.25]])]);
    // Keras prelu_test reference: maximum(0, x) + alpha * minimum(0, x).
    expect(prelu.apply(x)).toBeAllclose([
      [
        [-1, 3],
        [4, -1.25],
      ],
    ]);
    expect(new PReLU().getConfig()).toMatchObject({
      alpha_initializer: { class_name: 'Zeros' },
      alpha_regularizer: null,
      alpha_constraint: null,
      shared_axes: null,
    });
    expect(() => new PReLU({ sharedAxes: [3], name: 'p' }).apply(tf.zeros([1, 2]))).toThrow(
      /"p".*shared_axes=\(3,\)/,
    );
  });
});

describe('ELU', () => {
  it('x for x > 0, alpha * (exp(x) - 1) otherwise (Keras elu_test np_elu)', () => {
    const x = [-2, -0.5, 0, 0.5, 2];
    const npElu = (alpha: number) => x.map((v) => (v > 0 ? v : alpha * (Math.exp(v) - 1)));
    runLayerTest(ELU, {
      initArgs: {},
      inputData: tf.tensor1d(x),
      expectedOutput: npElu(1),
      supportsMasking: true,
    });
    runLayerTest(ELU, {
      initArgs: { alpha: 0.7 },
      inputData: tf.tensor1d(x),
      expectedOutput: npElu(0.7),
    });
  });
});

describe('Softmax', () => {
  const input = [
    [1, 2, 1],
    [1, 2, 1],
  ];

  it('Keras softmax_test values (default axis, axis 1, axes (1, 0) with a mask)', () => {
    const expected = [
      [0.21194157, 0.5761169, 0.21194157],
      [0.21194157, 0.5761169, 0.21194157],
    ];
    runLayerTest(Softmax, {
      initArgs: {},
      inputData: tf.tensor2d(input),
      expectedOutput: expected,
      supportsMasking: true,
    });
    runLayerTest(Softmax, {
      initArgs: { axis: 1 },
      inputData: tf.tensor2d(input),
      expectedOutput: expected,
    });
    const masked = new Softmax({ axis: [1, 0] }).apply(tf.tensor2d(input), {
      mask: tf.tensor2d([
        [1, 0, 1],
        [0, 1, 0],
      ]),
    });
    expect(masked).toBeAllclose([
      [0.21194154, 0, 0.21194154],
      [0, 0.57611686, 0],
    ]);
    expect(new Softmax({ axis: [1, 0] }).getConfig()).toMatchObject({ axis: [1, 0] });
  });

  it('masked entries are 0, fully masked rows too; masks must broadcast', () => {
    const y = new Softmax().apply(
      tf.tensor2d([
        [1, 2, 5, 1],
        [1, 1, 1, 1],
        [3, 1, 2, 4],
      ]),
      {
        mask: tf.tensor2d(
          [
            [1, 1, 0, 0],
            [0, 0, 0, 0],
            [1, 1, 1, 1],
          ],
          [3, 4],
          'bool',
        ),
      },
    );
    expect(y).toBeAllclose(
      [
        [0.268941, 0.731059, 0, 0],
        [0, 0, 0, 0],
        [0.236883, 0.032059, 0.087144, 0.643914],
      ],
      { atol: 1e-6 },
    );
    const broadcast = new Softmax().apply(
      tf.tensor2d([
        [1, 2, 1],
        [3, 4, 5],
      ]),
      { mask: tf.tensor1d([1, 0, 1]) },
    );
    expect(tf.slice(broadcast as tf.Tensor, [0, 1], [2, 1])).toBeAllclose([[0], [0]]);
    expect(() =>
      new Softmax({ name: 'sm' }).apply(tf.tensor2d([[1, 2, 1]]), { mask: tf.ones([2, 3]) }),
    ).toThrow(/"sm" must be broadcastable.*\(1, 3\).*\(2, 3\)/);
  });
});
