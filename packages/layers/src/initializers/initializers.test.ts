import { ensureBackend, setRandomSeed } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import * as initializers from './index.js';

beforeAll(() => ensureBackend());

function stats(t: tf.Tensor): { mean: number; std: number; maxAbs: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, maxAbs: Math.max(...v.map(Math.abs)) };
}

describe('constant initializers', () => {
  it('Zeros, Ones, Constant, Identity', () => {
    expect(initializers.get('zeros')?.call([2, 2])).toBeAllclose([
      [0, 0],
      [0, 0],
    ]);
    expect(initializers.get('ones')?.call([3])).toBeAllclose([1, 1, 1]);
    expect(new initializers.Constant({ value: 2.5 }).call([2])).toBeAllclose([2.5, 2.5]);
    expect(new initializers.Identity({ gain: 2 }).call([2, 3])).toBeAllclose([
      [2, 0, 0],
      [0, 2, 0],
    ]);
    expect(() => new initializers.Identity().call([2, 2, 2])).toThrow(
      /2D matrices. Received: shape=\[2, 2, 2\]/,
    );
  });
});

describe('random initializers', () => {
  it('VarianceScaling presets have the Keras scale (fan_in, fan_out, fan_avg)', () => {
    // GlorotUniform on (200, 300): limit sqrt(6 / 500); uniform std = limit / sqrt(3)
    const glorot = stats(new initializers.GlorotUniform({ seed: 1 }).call([200, 300]));
    const limit = Math.sqrt(6 / 500);
    expect(glorot.maxAbs).toBeLessThanOrEqual(limit);
    expect(glorot.std).toBeCloseTo(limit / Math.sqrt(3), 2);
    // HeNormal on (3, 3, 40, 64): fan_in = 360, truncated normal with std sqrt(2 / 360)
    const he = stats(new initializers.HeNormal({ seed: 2 }).call([3, 3, 40, 64]));
    expect(Math.abs(he.std / Math.sqrt(2 / 360) - 1)).toBeLessThan(0.03);
    expect(he.maxAbs).toBeLessThanOrEqual((2 * Math.sqrt(2 / 360)) / 0.8796256610342398 + 1e-6);
    const lecun = stats(new initializers.LecunUniform({ seed: 3 }).call([400, 100]));
    expect(lecun.maxAbs).toBeLessThanOrEqual(Math.sqrt(3 / 400));
    const fanOut = stats(
      new initializers.VarianceScaling({
        scale: 2,
        mode: 'fan_out',
        distribution: 'untruncated_normal',
        seed: 4,
      }).call([100, 500]),
    );
    expect(Math.abs(fanOut.std / Math.sqrt(2 / 500) - 1)).toBeLessThan(0.03);
    expect(initializers.computeFans([3, 3, 40, 64])).toEqual([360, 576]);
    expect(initializers.computeFans([7])).toEqual([7, 7]);
  });

  it('RandomNormal, RandomUniform, TruncatedNormal defaults (0.05)', () => {
    const n = stats(new initializers.RandomNormal({ seed: 5 }).call([100, 100]));
    expect(n.std).toBeCloseTo(0.05, 2);
    const u = stats(new initializers.RandomUniform({ seed: 6 }).call([100, 100]));
    expect(u.maxAbs).toBeLessThanOrEqual(0.05);
    const t = stats(new initializers.TruncatedNormal({ seed: 7 }).call([100, 100]));
    expect(t.maxAbs).toBeLessThanOrEqual(0.1 + 1e-6);
  });

  it('a seed repeats the values; no seed draws new ones; setRandomSeed makes runs reproducible', () => {
    const seeded = new initializers.GlorotNormal({ seed: 42 });
    expect(seeded.call([4, 4])).toBeAllclose(seeded.call([4, 4]));
    const unseeded = new initializers.GlorotNormal();
    const a = unseeded.call([4, 4]).dataSync();
    const b = unseeded.call([4, 4]).dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(b));
    setRandomSeed(7);
    const r1 = new initializers.HeUniform().call([3, 3]).dataSync();
    setRandomSeed(7);
    const r2 = new initializers.HeUniform().call([3, 3]).dataSync();
    expect(Array.from(r1)).toEqual(Array.from(r2));
  });

  it('Orthogonal gives orthonormal columns (tall) or rows (wide) times gain', () => {
    const q = new initializers.Orthogonal({ seed: 1, gain: 2 }).call([6, 3]);
    expect(tf.matMul(q, q, true, false)).toBeAllclose(tf.mul(tf.eye(3), 4), { atol: 1e-5 });
    const w = new initializers.Orthogonal({ seed: 2 }).call([3, 5]);
    expect(tf.matMul(w, w, false, true)).toBeAllclose(tf.eye(3), { atol: 1e-5 });
    const k = new initializers.Orthogonal({ seed: 3 }).call([2, 2, 4]);
    expect(k.shape).toEqual([2, 2, 4]);
  });
});

describe('initializers.get and config', () => {
  it('accepts Keras names, camelCase, Keras 2 and Keras 3 dicts; writes Keras 3 dicts', () => {
    expect(initializers.get('glorot_uniform')).toBeInstanceOf(initializers.GlorotUniform);
    expect(initializers.get('heNormal')).toBeInstanceOf(initializers.HeNormal);
    expect(initializers.get('uniform')).toBeInstanceOf(initializers.RandomUniform);
    const k2 = initializers.get({
      class_name: 'RandomUniform',
      config: { minval: -0.05, maxval: 0.05, seed: null },
    });
    expect(initializers.serialize(k2)).toEqual({
      module: 'keras.initializers',
      class_name: 'RandomUniform',
      config: { seed: null, minval: -0.05, maxval: 0.05 },
      registered_name: null,
    });
    expect(initializers.serialize(new initializers.Orthogonal())).toEqual({
      module: 'keras.initializers',
      class_name: 'Orthogonal',
      config: { seed: null, gain: 1 },
      registered_name: null,
    });
    expect(() => initializers.get('bogus')).toThrow(/Could not locate initializer "bogus"/);
    expect(() => new initializers.VarianceScaling({ mode: 'fan_x' as never })).toThrow(
      /Received: mode="fan_x"/,
    );
    expect(() => new initializers.RandomNormal({ seed: 1.5 })).toThrow(/Received: seed=1.5/);
  });
});
