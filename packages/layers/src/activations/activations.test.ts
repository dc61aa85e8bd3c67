import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { registerKerasSerializable } from '../serialization/registry.js';
import * as activations from './index.js';

beforeAll(() => ensureBackend());

const xs = [-3, -1.5, -0.5, 0, 0.5, 1.5, 3, 7];
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const softplus = (v: number) => Math.log1p(Math.exp(v));
// Abramowitz-Stegun 7.1.26 is too coarse for 1e-6; erf via its Taylor series (fine for |x| < 6).
function erf(v: number): number {
  let sum = 0;
  let term = v;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-v * v) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const reference: Record<string, (v: number) => number> = {
  relu: (v) => Math.max(0, v),
  relu6: (v) => Math.min(6, Math.max(0, v)),
  sigmoid: sig,
  tanh: Math.tanh,
  linear: (v) => v,
  exponential: Math.exp,
  softplus,
  softsign: (v) => v / (1 + Math.abs(v)),
  elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
  selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)),
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  silu: (v) => v * sig(v),
  swish: (v) => v * sig(v),
  hard_sigmoid: (v) => Math.min(6, Math.max(0, v + 3)) / 6,
  hard_silu: (v) => (v * Math.min(6, Math.max(0, v + 3))) / 6,
  hard_swish: (v) => (v * Math.min(6, Math.max(0, v + 3))) / 6,
  leaky_relu: (v) => (v > 0 ? v : 0.2 * v),
  mish: (v) => v * Math.tanh(softplus(v)),
  celu: (v) => Math.max(0, v) + Math.min(0, Math.exp(v) - 1),
  hard_tanh: (v) => Math.max(-1, Math.min(1, v)),
  log_sigmoid: (v) => Math.log(sig(v)),
  tanh_shrink: (v) => v - Math.tanh(v),
  squareplus: (v) => (v + Math.sqrt(v * v + 4)) / 2,
  soft_shrink: (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0),
  hard_shrink: (v) => (Math.abs(v) > 0.5 ? v : 0),
};

describe('activations', () => {
  it.each(Object.keys(reference))('%s matches its closed form', (name) => {
    const fn = activations.get(name);
    const ref = reference[name] as (v: number) => number;
    expect(fn(tf.tensor1d(xs))).toBeAllclose(xs.map(ref), { rtol: 1e-5, atol: 1e-5 });
  });

  it('hard_sigmoid follows the Keras version of the file', () => {
    const x = tf.tensor1d([-2, -1, 0, 1, 2]);
    expect(activations.get('hard_sigmoid')(x)).toBeAllclose([1 / 6, 2 / 6, 0.5, 4 / 6, 5 / 6], {
      atol: 1e-6,
    });
    const k2 = activations.get('hard_sigmoid', { kerasVersion: '2.2.4' });
    expect(k2(x)).toBeAllclose([0.1, 0.3, 0.5, 0.7, 0.9], { atol: 1e-6 });
    expect(activations.serialize(k2)).toBe('hard_sigmoid');
  });

  it('softmax and log_softmax along any axis; gelu approximate; glu; sparsemax', () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [1, 1, 1],
    ]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e.reduce((p, q) => p + q, 0);
    expect(activations.get('softmax')(x)).toBeAllclose([
      e.map((v) => v / s),
      [1 / 3, 1 / 3, 1 / 3],
    ]);
    expect(activations.softmax(x, 0)).toBeAllclose([
      [0.5, sig(1), sig(2)],
      [0.5, 1 - sig(1), 1 - sig(2)],
    ]);
    expect(activations.logSoftmax(x, -1)).toBeAllclose([
      e.map((v) => Math.log(v / s)),
      [-Math.log(3), -Math.log(3), -Math.log(3)],
    ]);
    const tanhGelu = (v: number) =>
      0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    expect(activations.gelu(tf.tensor1d(xs), true)).toBeAllclose(xs.map(tanhGelu), { atol: 1e-5 });
    expect(activations.glu(tf.tensor2d([[1, 2, 0, -1]]))).toBeAllclose([[1 * sig(0), 2 * sig(-1)]]);
    // sparsemax([0.5, 1.5, -1]): k = 1, tau = 0.5 -> [0, 1, 0]; [0.2, 0.3, 0.1]: k = 3, tau = -0.4 / 3
    expect(
      activations.sparsemax(
        tf.tensor2d([
          [0.5, 1.5, -1],
          [0.2, 0.3, 0.1],
        ]),
      ),
    ).toBeAllclose(
      [
        [0, 1, 0],
        [0.3333333, 0.4333333, 0.2333333],
      ],
      { atol: 1e-5 },
    );
  });

  it('relu options follow Keras 3 (negative slope, max value, threshold)', () => {
    const x = tf.tensor1d([-10, -5, 0, 5, 10]);
    expect(activations.relu(x, { negativeSlope: 0.5, maxValue: 6, threshold: 0 })).toBeAllclose([
      -5, -2.5, 0, 5, 6,
    ]);
    expect(activations.relu(x, { threshold: 5 })).toBeAllclose([0, 0, 0, 0, 10]);
  });

  it('get accepts camelCase, functions, dicts and registered functions; unknown names list what exists', () => {
    expect(activations.get('logSoftmax')).toBe(activations.get('log_softmax'));
    expect(activations.get(null)).toBe(activations.get('linear'));
    expect(
      activations.get({
        class_name: 'function',
        config: 'relu',
        module: 'builtins',
        registered_name: 'function',
      }),
    ).toBe(activations.get('relu'));
    const custom = (x: tf.Tensor) => tf.mul(x, 3);
    registerKerasSerializable(custom, { package: 'acts', name: 'triple' });
    expect(activations.serialize(custom)).toEqual({
      module: 'acts',
      class_name: 'function',
      config: 'acts>triple',
      registered_name: 'function',
    });
    expect(activations.get(activations.serialize(custom))).toBe(custom);
    expect(() => activations.get('nope')).toThrow(
      /Could not locate activation "nope".*relu.*registerKerasSerializable/s,
    );
  });
});
