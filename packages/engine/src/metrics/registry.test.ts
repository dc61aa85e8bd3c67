import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BinaryCrossentropy as BinaryCrossentropyLoss } from '../losses/loss-classes.js';
import { get as getLoss } from '../losses/registry.js';
import {
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy-metrics.js';
import { AUC, Precision } from './confusion-metrics.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
} from './probabilistic-metrics.js';
import { MeanMetricWrapper } from './reduction-metrics.js';
import { deserialize, get, resolveAccuracy, serialize } from './registry.js';
import { MeanAbsoluteError, MeanSquaredError } from './regression-metrics.js';

beforeAll(() => ensureBackend());

describe('metrics.get', () => {
  it('resolves class names, snake_case, camelCase and Keras short names', () => {
    expect(get('mae')).toBeInstanceOf(MeanAbsoluteError);
    expect(get('MSE')).toBeInstanceOf(MeanSquaredError);
    expect(get('mean_squared_error')).toBeInstanceOf(MeanSquaredError);
    expect(get('meanSquaredError')).toBeInstanceOf(MeanSquaredError);
    expect(get('AUC')).toBeInstanceOf(AUC);
    expect(get('precision')).toBeInstanceOf(Precision);
    expect(get('binary_accuracy')).toBeInstanceOf(BinaryAccuracy);
    expect(get('bce')).toBeInstanceOf(BinaryCrossentropy);
  });

  it('wraps a function in MeanMetricWrapper and passes instances through', () => {
    const m = get(function myAbs(t: tf.Tensor, p: tf.Tensor) {
      return tf.mean(tf.abs(tf.sub(t, p)), -1);
    });
    expect(m).toBeInstanceOf(MeanMetricWrapper);
    expect(m.name).toBe('myAbs');
    // keras MeanAbsoluteError test_unweighted-style closed form: |1-4|,|9-8|,... mean 5.5.
    expect(
      m.call(
        [
          [1, 9, 2],
          [-5, -2, 6],
        ],
        [
          [4, 8, 12],
          [8, 1, 3],
        ],
      ),
    ).toBeAllclose(5.5);
    const p = new Precision();
    expect(get(p)).toBe(p);
    expect(() => get('nope')).toThrow(/Could not interpret metric identifier: nope/);
  });

  it('Metric.fromConfig rebuilds a class from its config', () => {
    const back = Precision.fromConfig({
      name: 'p',
      dtype: 'float32',
      thresholds: [0.3, 0.6],
      top_k: null,
    });
    expect(back.thresholds).toEqual([0.3, 0.6]);
    expect(back.name).toBe('p');
  });

  it('serializes with Keras 3 keys and round-trips', () => {
    const s = serialize(new AUC({ numThresholds: 50, curve: 'PR', name: 'pr_auc' }));
    expect(s).toMatchObject({ module: 'keras.metrics', class_name: 'AUC' });
    expect(s.config).toMatchObject({ name: 'pr_auc', num_thresholds: 50, curve: 'PR' });
    const back = deserialize(JSON.parse(JSON.stringify(s))) as AUC;
    expect(back.numThresholds).toBe(50);
    expect(back.curve).toBe('PR');
    expect(back.name).toBe('pr_auc');
  });
});

describe('resolveAccuracy', () => {
  it('picks binary for one output unit or a binary crossentropy loss', () => {
    expect(resolveAccuracy({ loss: 'mse', outputShape: [null, 1] }).metric).toBeInstanceOf(
      BinaryAccuracy,
    );
    expect(resolveAccuracy({ loss: 'binary_crossentropy', outputShape: [null, 5] }).kind).toBe(
      'binary',
    );
    expect(
      resolveAccuracy({ loss: new BinaryCrossentropyLoss(), outputShape: [null, 5] }).kind,
    ).toBe('binary');
    expect(resolveAccuracy({ loss: getLoss('bce'), outputShape: [null, 3] }).kind).toBe('binary');
  });
  it('picks sparse for a sparse loss or integer labels, categorical otherwise', () => {
    const sparse = resolveAccuracy({
      loss: 'sparse_categorical_crossentropy',
      outputShape: [null, 10],
    });
    expect(sparse.metric).toBeInstanceOf(SparseCategoricalAccuracy);
    expect(resolveAccuracy({ loss: 'mse', outputShape: [null, 10], yTrueShape: [null] }).kind).toBe(
      'sparse',
    );
    expect(
      resolveAccuracy({ loss: 'mse', outputShape: [null, 10], yTrueShape: [null, 1] }).kind,
    ).toBe('sparse');
    const cat = resolveAccuracy({
      loss: 'categorical_crossentropy',
      outputShape: [null, 10],
      identifier: 'acc',
    });
    expect(cat.metric).toBeInstanceOf(CategoricalAccuracy);
    expect(cat.metric.name).toBe('acc');
  });
  it("resolves 'crossentropy' / 'ce' the same way", () => {
    expect(
      resolveAccuracy({ loss: 'mse', outputShape: [null, 1], identifier: 'ce' }).metric,
    ).toBeInstanceOf(BinaryCrossentropy);
    expect(
      resolveAccuracy({
        loss: 'sparse_categorical_crossentropy',
        outputShape: [null, 4],
        identifier: 'crossentropy',
      }).metric,
    ).toBeInstanceOf(SparseCategoricalCrossentropy);
    expect(
      resolveAccuracy({
        loss: 'categorical_crossentropy',
        outputShape: [null, 4],
        identifier: 'ce',
      }).metric,
    ).toBeInstanceOf(CategoricalCrossentropy);
    expect(() => resolveAccuracy({ outputShape: [null, 4], identifier: 'mae' })).toThrow(
      /Received: identifier=mae/,
    );
  });
});
