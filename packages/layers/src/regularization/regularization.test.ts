import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { runLayerTest } from '../testing/index.js';
import { ActivityRegularization } from './activity-regularization.js';
import { Dropout } from './dropout.js';
import { AlphaDropout, GaussianDropout, GaussianNoise } from './noise.js';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './spatial-dropout.js';

beforeAll(() => ensureBackend());

function values(t: tf.Tensor | tf.Tensor[]): number[] {
  return Array.from((t as tf.Tensor).dataSync());
}

function meanStd(v: number[]): [number, number] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return [mean, Math.sqrt(variance)];
}

describe('Dropout', () => {
  it('is the identity at inference and passes the harness', () => {
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    runLayerTest(Dropout, {
      initArgs: { rate: 0.5, seed: 3 },
      inputData: x,
      expectedOutput: x,
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    });
    expect(new Dropout({ rate: 0.3, name: 'dropout' }).getConfig()).toMatchObject({
      rate: 0.3,
      seed: null,
      noise_shape: null,
    });
  });

  it('in training zeroes about `rate` and scales the rest by 1 / (1 - rate)', () => {
    const layer = new Dropout({ rate: 0.25, seed: 7 });
    const out = values(layer.apply(tf.ones([100, 100]), { training: true }));
    const zeros = out.filter((v) => v === 0).length / out.length;
    expect(zeros).toBeGreaterThan(0.22);
    expect(zeros).toBeLessThan(0.28);
    for (const v of out) expect(v === 0 || Math.abs(v - 4 / 3) < 1e-6).toBe(true);
  });

  it('a noise shape drops whole broadcast slices; seeds make sequences reproducible', () => {
    const layer = new Dropout({ rate: 0.5, noiseShape: [null, 1, 8], seed: 11 });
    const y = layer.apply(tf.ones([4, 5, 8]), { training: true }) as tf.Tensor;
    const rows = y.arraySync() as number[][][];
    for (const sample of rows) for (const step of sample) expect(step).toEqual(sample[0]);
    const a = new Dropout({ rate: 0.5, seed: 5 });
    const b = new Dropout({ rate: 0.5, seed: 5 });
    const x = tf.ones([10, 10]);
    const a1 = values(a.apply(x, { training: true }));
    expect(values(b.apply(x, { training: true }))).toEqual(a1);
    expect(values(a.apply(x, { training: true }))).not.toEqual(a1);
  });

  it('rejects a rate outside [0, 1]', () => {
    expect(() => new Dropout({ rate: 1.5 })).toThrow(/Received: rate=1.5/);
  });
});

describe('SpatialDropout', () => {
  it('1D drops whole channels across steps', () => {
    runLayerTest(SpatialDropout1D, {
      initArgs: { rate: 0.5 },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
    });
    const y = new SpatialDropout1D({ rate: 0.5, seed: 1 }).apply(tf.ones([3, 6, 10]), {
      training: true,
    });
    const arr = (y as tf.Tensor).arraySync() as number[][][];
    for (const sample of arr) for (const step of sample) expect(step).toEqual(sample[0]);
  });

  it('2D/3D drop per channel on the data_format axis and write Keras config', () => {
    runLayerTest(SpatialDropout2D, {
      initArgs: { rate: 0.2 },
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 3, 3, 4],
    });
    runLayerTest(SpatialDropout3D, {
      initArgs: { rate: 0.2 },
      inputShape: [1, 2, 2, 2, 3],
      expectedOutputShape: [1, 2, 2, 2, 3],
    });
    const layer = new SpatialDropout2D({
      rate: 0.5,
      dataFormat: 'channels_first',
      seed: 2,
      name: 'sd',
    });
    const arr = (
      layer.apply(tf.ones([2, 8, 3, 3]), { training: true }) as tf.Tensor
    ).arraySync() as number[][][][];
    for (const sample of arr)
      for (const channel of sample) {
        const flat = channel.flat();
        expect(flat.every((v) => v === flat[0])).toBe(true);
      }
    expect(layer.getConfig()).toEqual({
      rate: 0.5,
      seed: 2,
      name: 'sd',
      dtype: 'float32',
      data_format: 'channels_first',
    });
    expect(() => new SpatialDropout1D({ rate: 0.1 }).apply(tf.ones([2, 3]))).toThrow(
      /expected ndim=3, found ndim=2/,
    );
  });
});

describe('noise layers', () => {
  it('GaussianNoise adds noise of stddev only in training', () => {
    runLayerTest(GaussianNoise, {
      initArgs: { stddev: 0.1 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    const x = tf.fill([200, 100], 3);
    expect(new GaussianNoise({ stddev: 0.5 }).apply(x)).toBeAllclose(x);
    const [mean, std] = meanStd(
      values(new GaussianNoise({ stddev: 0.5, seed: 1 }).apply(x, { training: true })),
    );
    expect(mean).toBeCloseTo(3, 1);
    expect(std).toBeCloseTo(0.5, 1);
  });

  it('GaussianDropout multiplies by N(1, rate / (1 - rate))', () => {
    runLayerTest(GaussianDropout, {
      initArgs: { rate: 0.2 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    const out = values(
      new GaussianDropout({ rate: 0.5, seed: 4 }).apply(tf.fill([200, 100], 2), { training: true }),
    );
    const [mean, std] = meanStd(out);
    expect(mean).toBeCloseTo(2, 1);
    expect(std).toBeCloseTo(2, 1);
  });

  it('AlphaDropout keeps zero mean and unit variance of standardised inputs', () => {
    runLayerTest(AlphaDropout, {
      initArgs: { rate: 0.2 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    const x = tf.randomNormal([200, 200], 0, 1, 'float32', 9);
    const [mean, std] = meanStd(
      values(new AlphaDropout({ rate: 0.3, seed: 8 }).apply(x, { training: true })),
    );
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(std - 1)).toBeLessThan(0.05);
  });
});

describe('ActivityRegularization', () => {
  it('adds (l1 sum|x| + l2 sum x^2) / batch to losses and writes l1/l2 config', () => {
    const { layer } = runLayerTest(ActivityRegularization, {
      initArgs: { l1: 0.1, l2: 0.01 },
      inputData: tf.tensor2d([
        [1, -2],
        [3, 0],
      ]),
      expectedOutput: [
        [1, -2],
        [3, 0],
      ],
      expectedNumLosses: 1,
    });
    // (0.1 * 6 + 0.01 * 14) / 2 = 0.37
    expect(layer.losses[0]).toBeAllclose(0.37);
    expect(layer.getConfig()).toMatchObject({ l1: 0.1, l2: 0.01 });
    expect(layer.getConfig()).not.toHaveProperty('activity_regularizer');
  });
});
