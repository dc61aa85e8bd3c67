import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { loadKerasFixture } from '../convolutional/test-utils/keras-fixture.js';
import { type NdArray, nested, sample } from '../convolutional/test-utils/reference.js';
import { runLayerTest } from '../testing/index.js';
import { GroupNormalization } from './group-normalization.js';
import { LayerNormalization } from './layer-normalization.js';
import { RMSNormalization } from './rms-normalization.js';
import { UnitNormalization } from './unit-normalization.js';

beforeAll(() => ensureBackend());

/** Plain-loop group norm over [batch, ...spatial, channels] (channels last), float64. */
function refGroupNorm(
  x: NdArray,
  groups: number,
  eps: number,
  gamma: number[],
  beta: number[],
): NdArray {
  const c = x.shape[x.shape.length - 1] as number;
  const perSample = x.data.length / (x.shape[0] as number);
  const positions = perSample / c;
  const size = c / groups;
  const out = [...x.data];
  for (let b = 0; b < (x.shape[0] as number); b++) {
    for (let g = 0; g < groups; g++) {
      const idx: number[] = [];
      for (let p = 0; p < positions; p++) {
        for (let k = 0; k < size; k++) idx.push(b * perSample + p * c + g * size + k);
      }
      const mean = idx.reduce((a, i) => a + (x.data[i] as number), 0) / idx.length;
      const v = idx.reduce((a, i) => a + ((x.data[i] as number) - mean) ** 2, 0) / idx.length;
      for (const i of idx) {
        const ch = i % c;
        out[i] =
          (((x.data[i] as number) - mean) / Math.sqrt(v + eps)) * (gamma[ch] as number) +
          (beta[ch] as number);
      }
    }
  }
  return { data: out, shape: x.shape };
}

describe('LayerNormalization', () => {
  it('passes runLayerTest (Keras layer_normalization_test shapes)', () => {
    runLayerTest(LayerNormalization, {
      initArgs: { axis: -2, center: true, scale: true },
      inputShape: [3, 4, 2],
      expectedOutputShape: [3, 4, 2],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
    runLayerTest(LayerNormalization, {
      initArgs: { axis: [2, 3], center: false, scale: false },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
      expectedNumTrainableWeights: 0,
    });
  });

  it('closed form: epsilon 1e-3 by default, rms_scaling divides by sqrt(variance + eps)', () => {
    const x = tf.tensor2d([
      [1, 3],
      [2, 6],
    ]);
    // Row means 2 and 4, variances 1 and 4.
    const ln = new LayerNormalization();
    expect(ln.epsilon).toBe(1e-3);
    expect(ln.apply(x)).toBeAllclose([
      [-1 / Math.sqrt(1.001), 1 / Math.sqrt(1.001)],
      [-2 / Math.sqrt(4.001), 2 / Math.sqrt(4.001)],
    ]);
    const rms = new LayerNormalization({ rmsScaling: true });
    const y = rms.apply(x) as tf.Tensor;
    expect(rms.weights.map((w) => w.name)).toEqual(['gamma']);
    expect(y).toBeAllclose([
      [1 / Math.sqrt(1.001), 3 / Math.sqrt(1.001)],
      [2 / Math.sqrt(4.001), 6 / Math.sqrt(4.001)],
    ]);
  });

  it('reproduces Keras 3 (h2_layernorm_mha) and writes its config', async () => {
    const fx = await loadKerasFixture('h2_layernorm_mha');
    const x = fx.input('sequence');
    const ln = new LayerNormalization({ name: 'ln', epsilon: 1e-3 });
    ln.maybeBuild(x.shape);
    ln.setWeights([fx.weight('ln', 'gamma'), fx.weight('ln', 'beta')]);
    expect(ln.apply(x)).toBeAllclose(fx.intermediate('ln'), { rtol: 1e-5, atol: 2e-6 });
    expect(ln.getConfig()).toMatchObject({
      name: 'ln',
      axis: [-1],
      epsilon: 0.001,
      center: true,
      scale: true,
      rms_scaling: false,
      beta_initializer: { class_name: 'Zeros' },
      gamma_initializer: { class_name: 'Ones' },
      beta_regularizer: null,
      gamma_regularizer: null,
      beta_constraint: null,
      gamma_constraint: null,
    });
    fx.close();
  });

  it('errors echo the axis', () => {
    expect(() =>
      new LayerNormalization({ axis: [1, 1], name: 'l' }).apply(tf.zeros([2, 3])),
    ).toThrow(/Duplicate axes.*"l".*\(1, 1\)/);
    expect(() => new LayerNormalization({ axis: 'x' as unknown as number })).toThrow(/axis="x"/);
  });
});

describe('GroupNormalization', () => {
  it('passes runLayerTest and matches a loop reference', () => {
    runLayerTest(GroupNormalization, {
      initArgs: { groups: 2 },
      inputShape: [3, 4, 4],
      expectedOutputShape: [3, 4, 4],
      expectedNumTrainableWeights: 2,
      supportsMasking: true,
    });
    const x = sample([2, 3, 2, 6], 5);
    const gamma = sample([6], 7).data;
    const beta = sample([6], 9).data;
    const layer = new GroupNormalization({ groups: 3, epsilon: 1e-3 });
    layer.maybeBuild(x.shape);
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
    const expected = refGroupNorm(x, 3, 1e-3, gamma, beta);
    expect(layer.apply(tf.tensor(x.data, x.shape))).toBeAllclose(nested(expected), {
      rtol: 1e-4,
      atol: 1e-5,
    });
  });

  it('groups=-1 is instance normalization; axis 1 (channels first)', () => {
    const inst = new GroupNormalization({ groups: -1 });
    const x = sample([2, 5, 4], 11);
    inst.apply(tf.tensor(x.data, x.shape));
    expect(inst.groups).toBe(4);
    expect(inst.getConfig()).toMatchObject({ groups: 4, axis: -1, epsilon: 0.001 });
    const first = new GroupNormalization({ groups: 2, axis: 1 });
    const xf = tf.transpose(tf.tensor(x.data, x.shape), [0, 2, 1]);
    const ones = new Array<number>(4).fill(1);
    const zeros = new Array<number>(4).fill(0);
    const expected = tf.transpose(
      tf.tensor(nested(refGroupNorm(x, 2, 1e-3, ones, zeros)) as number[][][]),
      [0, 2, 1],
    );
    expect(first.apply(xf)).toBeAllclose(expected, { rtol: 1e-4, atol: 1e-5 });
  });

  it('rejects group counts that do not divide the channels, with the numbers', () => {
    expect(() => new GroupNormalization({ groups: 0 })).toThrow(/groups=0/);
    expect(() => new GroupNormalization({ groups: 3 }).apply(tf.zeros([1, 4]))).toThrow(
      /channels \(4\).*groups \(3\)/,
    );
    expect(() => new GroupNormalization({ groups: 8 }).apply(tf.zeros([1, 4]))).toThrow(
      /groups \(8\).*channels \(4\)/,
    );
  });
});

describe('UnitNormalization', () => {
  it('divides by the L2 norm (closed form) and writes axis as given', () => {
    runLayerTest(UnitNormalization, {
      initArgs: { axis: -1 },
      inputData: tf.tensor2d([
        [3, 4],
        [0, 0],
      ]),
      expectedOutputShape: [2, 2],
      expectedOutput: [
        [0.6, 0.8],
        [0, 0],
      ],
      supportsMasking: true,
    });
    const y = new UnitNormalization({ axis: [1, 2] }).apply(
      tf.tensor3d([
        [
          [1, 1],
          [1, 1],
        ],
      ]),
    );
    expect(y).toBeAllclose([
      [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
    ]);
    expect(new UnitNormalization({ axis: [1, 2] }).getConfig()).toMatchObject({ axis: [1, 2] });
  });
});

describe('RMSNormalization', () => {
  it('x * rsqrt(mean(x^2) + 1e-6) * scale (closed form)', () => {
    const x = tf.tensor2d([
      [3, 4],
      [1, 1],
    ]);
    // mean squares 12.5 and 1.
    const { layer } = runLayerTest(RMSNormalization, {
      initArgs: {},
      inputData: x,
      expectedOutputShape: [2, 2],
      expectedOutput: [
        [3 / Math.sqrt(12.5 + 1e-6), 4 / Math.sqrt(12.5 + 1e-6)],
        [1 / Math.sqrt(1 + 1e-6), 1 / Math.sqrt(1 + 1e-6)],
      ],
      expectedNumTrainableWeights: 1,
    });
    expect(layer.weights.map((w) => w.name)).toEqual(['scale']);
    expect(layer.getConfig()).toMatchObject({ axis: -1, epsilon: 1e-6 });
    const scaled = new RMSNormalization({ axis: [1] });
    scaled.maybeBuild([2, 2]);
    scaled.setWeights([tf.tensor1d([2, -1])]);
    expect(scaled.apply(x)).toBeAllclose([
      [6 / Math.sqrt(12.5 + 1e-6), -4 / Math.sqrt(12.5 + 1e-6)],
      [2 / Math.sqrt(1 + 1e-6), -1 / Math.sqrt(1 + 1e-6)],
    ]);
  });
});
