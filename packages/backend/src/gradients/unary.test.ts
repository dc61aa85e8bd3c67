import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch, type InputSpec } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

type Unary = (x: tf.Tensor) => tf.Tensor;
const shape = [2, 5];

describe('unary gradients', () => {
  const cases: [string, Unary, Partial<InputSpec>][] = [
    ['neg', tf.neg, {}],
    ['square', tf.square, {}],
    ['sqrt', tf.sqrt, { lo: 0.5, hi: 2 }],
    ['rsqrt', tf.rsqrt, { lo: 0.5, hi: 2 }],
    ['reciprocal', tf.reciprocal, { lo: 0.5, hi: 2 }],
    ['log', tf.log, { lo: 0.5, hi: 2 }],
    ['log1p', tf.log1p, { lo: -0.5, hi: 2 }],
    ['exp', tf.exp, {}],
    ['expm1', tf.expm1, {}],
    ['abs', tf.abs, { awayFrom: [0] }],
    ['sin', tf.sin, {}],
    ['cos', tf.cos, {}],
    ['tan', tf.tan, {}],
    ['asin', tf.asin, { lo: -0.8, hi: 0.8 }],
    ['acos', tf.acos, { lo: -0.8, hi: 0.8 }],
    ['atan', tf.atan, {}],
    ['sinh', tf.sinh, {}],
    ['cosh', tf.cosh, {}],
    ['asinh', tf.asinh, {}],
    ['acosh', tf.acosh, { lo: 1.5, hi: 3 }],
    ['atanh', tf.atanh, { lo: -0.8, hi: 0.8 }],
    ['erf', tf.erf, {}],
    ['tanh', tf.tanh, {}],
    ['sigmoid', tf.sigmoid, {}],
    ['softplus', tf.softplus, { lo: -3, hi: 3 }],
    ['relu', tf.relu, { awayFrom: [0] }],
    ['relu6', tf.relu6, { lo: -2, hi: 8, awayFrom: [0, 6] }],
    ['elu', tf.elu, { lo: -2, hi: 2, awayFrom: [0] }],
    ['selu', tf.selu, { lo: -2, hi: 2, awayFrom: [0] }],
    ['leakyRelu', (x) => tf.leakyRelu(x, 0.3), { awayFrom: [0] }],
    ['clipByValue', (x) => tf.clipByValue(x, -0.5, 0.4), { awayFrom: [-0.5, 0.4] }],
    ['identity (clone)', (x) => tf.clone(x), {}],
    ['cast to float32', (x) => tf.cast(x, 'float32'), {}],
  ];
  it.each(cases)('%s', async (_, op, spec) => {
    await expectGradientsMatch((x) => op(x as tf.Tensor), [{ shape, ...spec }]);
  });

  it('piecewise-constant kernels give zero gradient', () => {
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.addN([tf.floor(x), tf.ceil(x), tf.round(x), tf.sign(x), tf.step(x)])),
    )(tf.tensor1d([0.3, -1.7]));
    expect(g).toBeAllclose([0, 0]);
  });

  it('relu passes dy exactly where x > 0', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), tf.tensor1d([2, 3, 4]))))(
      tf.tensor1d([-1, 0.5, 2]),
    );
    expect(g).toBeAllclose([0, 3, 4]);
  });
});
