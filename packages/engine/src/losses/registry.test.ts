import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LossFunctionWrapper } from './loss.js';
import { CategoricalCrossentropy, MeanSquaredError } from './loss-classes.js';
import { deserialize, get, serialize } from './registry.js';

beforeAll(() => ensureBackend());

const YT = [
  [1, 9, 2],
  [-5, -2, 6],
];
const YP = [
  [4, 8, 12],
  [8, 1, 3],
];

describe('losses.get', () => {
  it.each(['mean_squared_error', 'meanSquaredError', 'mse', 'MSE', 'MeanSquaredError'])(
    '%s resolves to mean squared error (49.5 on the Keras example)',
    (id) => {
      expect(get(id).call(YT, YP)).toBeAllclose(49.5);
    },
  );

  it('resolves Keras short names and Keras 2 spellings', () => {
    expect(get('bce').name).toBe('binary_crossentropy');
    expect(get('kld').name).toBe('kl_divergence');
    expect(get('mae').name).toBe('mean_absolute_error');
    expect(get('logcosh').name).toBe('log_cosh');
    expect(get('categoricalCrossentropy').name).toBe('categorical_crossentropy');
    expect(get('SparseCategoricalCrossentropy').name).toBe('sparse_categorical_crossentropy');
  });

  it('wraps a function, passes an instance through, maps null to null', () => {
    const fn = (t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.abs(tf.sub(t, p)), -1);
    const wrapped = get(fn);
    expect(wrapped).toBeInstanceOf(LossFunctionWrapper);
    expect(wrapped.call(YT, YP)).toBeAllclose(5.5);
    const inst = new MeanSquaredError();
    expect(get(inst)).toBe(inst);
    expect(get(null)).toBeNull();
  });

  it('throws for an unknown name, echoing it', () => {
    expect(() => get('not_a_loss')).toThrow(/Could not interpret loss identifier: not_a_loss/);
  });
});

describe('serialization', () => {
  it('a class round-trips through its Keras 3 config', () => {
    const s = serialize(new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }));
    expect(s).toMatchObject({ module: 'keras.losses', class_name: 'CategoricalCrossentropy' });
    const back = deserialize(JSON.parse(JSON.stringify(s))) as CategoricalCrossentropy;
    expect(back).toBeInstanceOf(CategoricalCrossentropy);
    expect(back.fromLogits).toBe(true);
    expect(back.labelSmoothing).toBe(0.1);
  });

  it('Loss.fromConfig rebuilds a class from its config', () => {
    const back = CategoricalCrossentropy.fromConfig({
      name: 'cce',
      reduction: 'sum',
      from_logits: true,
    });
    expect(back.fromLogits).toBe(true);
    expect(back.reduction).toBe('sum');
    expect(back.name).toBe('cce');
  });

  it('a loss function serializes in the Keras 3 function form', () => {
    expect(serialize(get('mse'))).toEqual({
      module: 'keras.losses',
      class_name: 'function',
      config: 'mean_squared_error',
      registered_name: 'mean_squared_error',
    });
    expect(deserialize(serialize(get('mse'))).call(YT, YP)).toBeAllclose(49.5);
  });

  it('reads Keras 2 dialect configs (reduction auto, plain strings)', () => {
    const l = deserialize({
      class_name: 'MeanSquaredError',
      config: { reduction: 'auto', name: 'mean_squared_error' },
    });
    expect(l.reduction).toBe('sum_over_batch_size');
    expect(deserialize('categorical_crossentropy').name).toBe('categorical_crossentropy');
  });
});
