import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Input } from '../engine/input-layer.js';
import { getKerasMask } from '../engine/keras-mask.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import { registerKerasSerializable } from '../serialization/registry.js';
import { runLayerTest } from '../testing/index.js';
import { Activation } from './activation.js';
import { Embedding } from './embedding.js';
import { Identity } from './identity.js';
import { Lambda, type LambdaFunction } from './lambda.js';
import { Masking } from './masking.js';

beforeAll(() => ensureBackend());

describe('Activation', () => {
  it('applies the named function', () => {
    runLayerTest(Activation, {
      initArgs: { activation: 'softplus' },
      inputData: tf.tensor2d([[0, 1, -2]]),
      expectedOutputShape: [1, 3],
      expectedOutput: [[Math.log(2), Math.log(1 + Math.E), Math.log(1 + Math.exp(-2))]],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('keeps the Keras 3 name in its config and rejects a missing activation', () => {
    expect(new Activation({ activation: 'swish' }).getConfig().activation).toBe('silu');
    expect(() => new Activation({} as never)).toThrow(/Received: activation=undefined/);
    expect(() => new Activation({ activation: 'nope' })).toThrow(
      /Could not locate activation "nope"/,
    );
  });
});

describe('Embedding', () => {
  it('looks up rows and writes the Keras 3 config', () => {
    const { layer } = runLayerTest(Embedding, {
      initArgs: { inputDim: 5, outputDim: 3, embeddingsInitializer: 'ones' },
      inputData: tf.tensor2d(
        [
          [0, 4],
          [2, 1],
        ],
        undefined,
        'int32',
      ),
      expectedOutputShape: [2, 2, 3],
      expectedOutput: tf.ones([2, 2, 3]),
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 0,
      runTrainingCheck: false,
    });
    expect(Object.keys(layer.getConfig())).toEqual([
      'name',
      'trainable',
      'dtype',
      'input_dim',
      'output_dim',
      'embeddings_initializer',
      'embeddings_regularizer',
      'activity_regularizer',
      'embeddings_constraint',
      'mask_zero',
      'quantization_config',
    ]);
    const table = tf.tensor2d([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    const e = new Embedding({ inputDim: 3, outputDim: 2 });
    e.build([null, 2]);
    e.setWeights([table]);
    expect(e.apply(tf.tensor2d([[2, 0]], undefined, 'int32'))).toBeAllclose([
      [
        [2, 2],
        [0, 0],
      ],
    ]);
  });

  it('errors on an id outside [0, inputDim), naming the id', () => {
    const e = new Embedding({ inputDim: 4, outputDim: 2, name: 'emb' });
    expect(() => e.apply(tf.tensor2d([[1, 4]], undefined, 'int32'))).toThrow(
      /Embedding layer "emb" expects ids in \[0, 4\).*Received: id 4/,
    );
    expect(() => e.apply(tf.tensor1d([-1, 0], 'int32'))).toThrow(/Received: id -1/);
    expect(() => e.apply(tf.tensor1d([2.0, 7.0]))).toThrow(/Received: id 7/);
  });

  it('maskZero emits a mask false at id 0', () => {
    const e = new Embedding({ inputDim: 4, outputDim: 2, maskZero: true });
    const y = e.apply(tf.tensor2d([[0, 3, 0]], undefined, 'int32')) as tf.Tensor;
    expect(getKerasMask(y)).toBeAllclose([[0, 1, 0]]);
    const sym = e.apply(Input({ shape: [3], dtype: 'int32' })) as SymbolicTensor;
    expect(sym.shape).toEqual([null, 3, 2]);
  });

  it('gets a gradient into the looked-up rows only', () => {
    const e = new Embedding({ inputDim: 3, outputDim: 2, embeddingsInitializer: 'ones' });
    const ids = tf.tensor1d([2, 2], 'int32');
    e.apply(ids);
    const v = e.embeddings?.value as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(e.apply(ids) as tf.Tensor) as tf.Scalar, [v]);
    expect(grads[v.name]).toBeAllclose([
      [0, 0],
      [0, 0],
      [2, 2],
    ]);
  });
});

describe('Identity and Masking', () => {
  it('Identity passes values, dtype and mask through', () => {
    runLayerTest(Identity, {
      initArgs: {},
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      supportsMasking: true,
    });
    const ints = Input({ shape: [2], dtype: 'int32' });
    expect((new Identity().apply(ints) as SymbolicTensor).dtype).toBe('int32');
  });

  it('Masking zeroes masked timesteps and emits their mask', () => {
    const x = tf.tensor3d([
      [
        [1, 2],
        [0, 0],
        [0, 3],
      ],
    ]);
    runLayerTest(Masking, {
      initArgs: { maskValue: 0 },
      inputData: x,
      expectedOutput: [
        [
          [1, 2],
          [0, 0],
          [0, 3],
        ],
      ],
      expectedMaskShape: [1, 3],
    });
    const y = new Masking({ maskValue: 1 }).apply(
      tf.tensor3d([
        [
          [1, 1],
          [1, 2],
        ],
      ]),
    ) as tf.Tensor;
    expect(y).toBeAllclose([
      [
        [0, 0],
        [1, 2],
      ],
    ]);
    expect(getKerasMask(y)).toBeAllclose([[0, 1]]);
  });
});

describe('Lambda', () => {
  const double: LambdaFunction = (x) => tf.mul(x as tf.Tensor, 2);
  registerKerasSerializable(double, { package: 'test_pkg', name: 'double' });

  it('runs the function and serializes through its registered name', () => {
    const { layer } = runLayerTest(Lambda, {
      initArgs: { function: double },
      inputData: tf.tensor2d([[1, 2]]),
      expectedOutputShape: [1, 2],
      expectedOutput: [[2, 4]],
    });
    expect(layer.getConfig().function).toEqual({
      module: 'test_pkg',
      class_name: 'function',
      config: 'test_pkg>double',
      registered_name: 'function',
    });
  });

  it('passes arguments and honours a declared output shape', () => {
    const scale: LambdaFunction = (x, args) => tf.mul(x as tf.Tensor, args.factor as number);
    const layer = new Lambda({ function: scale, arguments: { factor: 3 }, outputShape: [2] });
    expect(layer.apply(tf.tensor2d([[1, 2]]))).toBeAllclose([[3, 6]]);
    expect((layer.apply(Input({ shape: [2] })) as SymbolicTensor).shape).toEqual([null, 2]);
  });

  it('an unregistered function cannot serialize; a Python lambda cannot load', () => {
    const layer = new Lambda({ function: (x) => x });
    expect(() => layer.getConfig()).toThrow(/registerKerasSerializable/);
    expect(() =>
      Lambda.fromConfig({
        name: 'py',
        function: {
          class_name: '__lambda__',
          config: { code: 'xyz', defaults: null, closure: null },
        },
        arguments: {},
      }),
    ).toThrow(/Lambda layer "py".*Python lambda/);
    // Keras 2 dialect: bytecode as a list, or a plain function name resolved through customObjects.
    expect(() =>
      Lambda.fromConfig({
        name: 'k2',
        function: ['4wEAAA==', null, null],
        function_type: 'lambda',
        arguments: {},
      }),
    ).toThrow(/Lambda layer "k2".*Python lambda/);
    const named = (x: tf.Tensor | tf.Tensor[]) => tf.neg(x as tf.Tensor);
    const fromName = Lambda.fromConfig(
      { name: 'k2f', function: 'negate', function_type: 'function', arguments: {} },
      { customObjects: { negate: named } },
    );
    expect(fromName.apply(tf.tensor1d([1, -2]))).toBeAllclose([-1, 2]);
  });
});
