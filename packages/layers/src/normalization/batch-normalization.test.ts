import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { loadKerasFixture } from '../convolutional/test-utils/keras-fixture.js';
import { sample } from '../convolutional/test-utils/reference.js';
import { runLayerTest } from '../testing/index.js';
import { BatchNormalization } from './batch-normalization.js';

beforeAll(() => ensureBackend());

describe('BatchNormalization', () => {
  it('passes runLayerTest (Keras batch_normalization_test shapes)', () => {
    runLayerTest(BatchNormalization, {
      initArgs: { center: false, scale: false },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 2,
      supportsMasking: true,
    });
    const { layer } = runLayerTest(BatchNormalization, {
      initArgs: { axis: 1, momentum: 0.9 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 2,
    });
    expect(layer.weights.map((w) => w.name)).toEqual([
      'gamma',
      'beta',
      'moving_mean',
      'moving_variance',
    ]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[4], [4], [4], [4]]);
  });

  it('training: batch statistics (biased variance) and moving averages, closed form', () => {
    const layer = new BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
    const x = tf.tensor2d([
      [1, 2],
      [3, 6],
    ]);
    // mean [2, 4], biased variance [1, 4].
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const s0 = 1 / Math.sqrt(1 + 1e-3);
    const s1 = 1 / Math.sqrt(4 + 1e-3);
    expect(y).toBeAllclose([
      [-1 * s0, -2 * s1],
      [1 * s0, 2 * s1],
    ]);
    // moving = moving * momentum + batch * (1 - momentum)
    expect(layer.movingMean?.read()).toBeAllclose([0.2, 0.4]);
    expect(layer.movingVariance?.read()).toBeAllclose([0.9 + 0.1, 0.9 + 0.4]);
    // Inference uses the moving statistics.
    expect(layer.apply(x, { training: false })).toBeAllclose([
      [(1 - 0.2) / Math.sqrt(1 + 1e-3), (2 - 0.4) / Math.sqrt(1.3 + 1e-3)],
      [(3 - 0.2) / Math.sqrt(1 + 1e-3), (6 - 0.4) / Math.sqrt(1.3 + 1e-3)],
    ]);
  });

  it('Keras test_correctness: momentum 0, axis 1, data N(5, 10)', () => {
    const layer = new BatchNormalization({ axis: 1, momentum: 0 });
    const raw = sample([8, 3, 4, 4], 3);
    const x = tf.add(tf.mul(tf.tensor(raw.data, raw.shape), 17), 5);
    let out: tf.Tensor = x;
    for (let i = 0; i < 3; i++) out = layer.apply(out, { training: true }) as tf.Tensor;
    const axes = [0, 2, 3];
    const { mean, variance } = tf.moments(out, axes);
    expect(mean).toBeAllclose([0, 0, 0], { atol: 1e-3 });
    expect(tf.sqrt(variance)).toBeAllclose([1, 1, 1], { atol: 1e-3 });
    // After three normalisations the last batch already had mean 0, variance ~1.
    expect(layer.movingMean?.read()).toBeAllclose([0, 0, 0], { atol: 1e-3 });
    expect(layer.movingVariance?.read()).toBeAllclose([1, 1, 1], { atol: 2e-3 });
    const training = layer.apply(x, { training: true }) as tf.Tensor;
    expect(layer.apply(x, { training: false })).toBeAllclose(training, { rtol: 1e-4, atol: 1e-4 });
  });

  it('a frozen layer (trainable=false) runs in inference mode even with training=true', () => {
    const layer = new BatchNormalization({ momentum: 0.5 });
    const x = tf.tensor2d([
      [1, 2],
      [3, 6],
    ]);
    layer.apply(x);
    layer.trainable = false;
    const y = layer.apply(x, { training: true });
    expect(y).toBeAllclose(tf.div(x, Math.sqrt(1 + 1e-3)));
    expect(layer.movingMean?.read()).toBeAllclose([0, 0]);
  });

  it('masked training statistics count only unmasked steps', () => {
    const layer = new BatchNormalization({ momentum: 0 });
    const x = tf.tensor3d([[[1], [100], [3]]]);
    const mask = tf.tensor2d([[1, 0, 1]], [1, 3], 'bool');
    layer.apply(x, { training: true, mask });
    expect(layer.movingMean?.read()).toBeAllclose([2], { rtol: 1e-6 });
    expect(layer.movingVariance?.read()).toBeAllclose([1], { rtol: 1e-6 });
  });

  it('does not read tensors back to the host while training', () => {
    const layer = new BatchNormalization();
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 7);
    layer.apply(x, { training: true });
    const before = tf.memory().numTensors;
    const spy = tf.engine() as unknown as { readSync: (id: unknown) => unknown };
    const original = spy.readSync;
    let reads = 0;
    spy.readSync = (id) => {
      reads++;
      return original.call(spy, id);
    };
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    spy.readSync = original;
    expect(reads).toBe(0);
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
  });

  it('reproduces Keras 3 inference (e_batchnorm_dropout) and its config', async () => {
    const fx = await loadKerasFixture('e_batchnorm_dropout');
    const h = fx.intermediate('dense1');
    const layer = new BatchNormalization({ name: 'bn', epsilon: 1e-3, momentum: 0.99 });
    layer.maybeBuild(h.shape);
    layer.setWeights(
      ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((v) => fx.weight('bn', v)),
    );
    expect(layer.apply(h, { training: false })).toBeAllclose(fx.intermediate('bn'), {
      rtol: 1e-5,
      atol: 1e-6,
    });
    expect(layer.getConfig()).toMatchObject({
      name: 'bn',
      axis: -1,
      momentum: 0.99,
      epsilon: 0.001,
      center: true,
      scale: true,
      beta_initializer: { class_name: 'Zeros' },
      gamma_initializer: { class_name: 'Ones' },
      moving_mean_initializer: { class_name: 'Zeros' },
      moving_variance_initializer: { class_name: 'Ones' },
      beta_regularizer: null,
      synchronized: false,
      renorm: false,
      renorm_clipping: null,
      renorm_momentum: 0.99,
    });
    fx.close();
  });

  it('reads Keras 2 configs (axis as a list) and echoes bad arguments', () => {
    const layer = BatchNormalization.fromConfig({
      name: 'bn2',
      axis: [3],
      momentum: 0.9,
      epsilon: 1e-5,
    });
    expect(layer.axis).toBe(3);
    expect(() => new BatchNormalization({ axis: [1, 2] })).toThrow(/axis=\[1,2\]/);
    expect(() => new BatchNormalization({ synchronized: true })).toThrow(/synchronized=true/);
    expect(() => new BatchNormalization({ axis: 3, name: 'b' }).apply(tf.zeros([2, 3]))).toThrow(
      /Axis 3 is out of bounds.*"b"/,
    );
  });

  it('renorm: weights, initial stddevs and clipping checks (Keras renorm tests)', () => {
    runLayerTest(BatchNormalization, {
      initArgs: { renorm: true, renormClipping: { rmax: 3, rmin: 0.3, dmax: 5 } },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 5,
      callArgs: { training: true },
    });
    const layer = new BatchNormalization({
      renorm: true,
      movingVarianceInitializer: { class_name: 'Constant', config: { value: 4 } },
    });
    layer.maybeBuild([null, 5]);
    expect(layer.weights.map((w) => w.name)).toEqual([
      'gamma',
      'beta',
      'moving_mean',
      'moving_variance',
      'moving_stddev',
      'renorm_mean',
      'renorm_stddev',
    ]);
    expect(layer.movingStddev?.read()).toBeAllclose([2, 2, 2, 2, 2]);
    expect(layer.renormStddev?.read()).toBeAllclose([2, 2, 2, 2, 2]);
    expect(layer.getConfig()).toMatchObject({
      renorm: true,
      renorm_clipping: {},
      renorm_momentum: 0.99,
    });
    expect(
      () => new BatchNormalization({ renorm: true, renormClipping: { random_key: 1 } }),
    ).toThrow(/Received invalid keys/);
    expect(
      () => new BatchNormalization({ renorm: true, renormClipping: { rmax: 0, rmin: 1 } }),
    ).toThrow(/rmax should be.*rmax=0, rmin=1/);
    expect(
      () => new BatchNormalization({ renorm: true, renormClipping: { rmax: 1, dmax: -1 } }),
    ).toThrow(/dmax should be non-negative.*dmax=-1/);
  });

  it('renorm training step matches Keras test_renorm_correctness (closed form)', () => {
    const eps = 1e-3;
    const layer = new BatchNormalization({
      epsilon: eps,
      momentum: 0.9,
      renorm: true,
      renormMomentum: 0.8,
    });
    layer.maybeBuild([null, 3]);
    const init = {
      movingMean: [0.3, -0.2, 0.5],
      movingVar: [1.2, 0.7, 1.5],
      renormMean: [-0.4, 0.1, 0.9],
      renormStddev: [1.1, 0.6, 1.4],
      gamma: [1.05, 0.92, 1.1],
      beta: [0.02, -0.1, 0.05],
    };
    layer.setWeights([
      tf.tensor1d(init.gamma),
      tf.tensor1d(init.beta),
      tf.tensor1d(init.movingMean),
      tf.tensor1d(init.movingVar),
      tf.tensor1d(init.movingVar.map(Math.sqrt)),
      tf.tensor1d(init.renormMean),
      tf.tensor1d(init.renormStddev),
    ]);
    const x = [
      [4, 6, 2],
      [8, -2, 5],
      [6, 4, 3],
    ];
    const col = (j: number) => x.map((row) => row[j] as number);
    const mean = [0, 1, 2].map((j) => col(j).reduce((a, b) => a + b) / 3);
    const variance = [0, 1, 2].map(
      (j) => col(j).reduce((a, b) => a + (b - (mean[j] as number)) ** 2, 0) / 3,
    );
    const std = variance.map((v) => Math.sqrt(v + eps));
    const r = std.map((s, j) => s / (init.renormStddev[j] as number));
    const d = mean.map(
      (m, j) => (m - (init.renormMean[j] as number)) / (init.renormStddev[j] as number),
    );
    const expected = x.map((row) =>
      row.map(
        (v, j) =>
          (((v - (mean[j] as number)) / (std[j] as number)) * (r[j] as number) + (d[j] as number)) *
            (init.gamma[j] as number) +
          (init.beta[j] as number),
      ),
    );
    expect(layer.apply(tf.tensor2d(x), { training: true })).toBeAllclose(expected, { atol: 1e-5 });
    const ema = (a: number[], b: number[], m: number) =>
      a.map((v, j) => v * m + (b[j] as number) * (1 - m));
    expect(layer.renormMean?.read()).toBeAllclose(ema(init.renormMean, mean, 0.8), { atol: 1e-5 });
    expect(layer.renormStddev?.read()).toBeAllclose(ema(init.renormStddev, std, 0.8), {
      atol: 1e-5,
    });
    expect(layer.movingMean?.read()).toBeAllclose(ema(init.movingMean, mean, 0.9), { atol: 1e-5 });
    const movingStd = ema(init.movingVar.map(Math.sqrt), std, 0.9);
    expect(layer.movingStddev?.read()).toBeAllclose(movingStd, { atol: 1e-5 });
    expect(layer.movingVariance?.read()).toBeAllclose(
      movingStd.map((s) => s * s - eps),
      { atol: 1e-5 },
    );
    // At inference renorm changes nothing: the moving statistics are used as without it.
    const plain = new BatchNormalization({ epsilon: eps });
    plain.maybeBuild([null, 3]);
    plain.setWeights(layer.getWeights().slice(0, 4));
    expect(layer.apply(tf.tensor2d(x), { training: false })).toBeAllclose(
      plain.apply(tf.tensor2d(x), { training: false }) as tf.Tensor,
    );
  });
});
