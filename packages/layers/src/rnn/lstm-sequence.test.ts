import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LSTM } from './lstm.js';

beforeAll(() => ensureBackend());

describe('the whole-sequence LSTM op', () => {
  // An all-true mask sends the same layer through the general per-step loop (taped ops), a
  // second implementation of the same math: values and gradients must agree.
  for (const [goBackwards, returnSequences] of [
    [false, true],
    [true, true],
    [false, false],
  ] as const) {
    it(`matches the per-step loop in values and all gradients (goBackwards=${goBackwards}, returnSequences=${returnSequences})`, () => {
      const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 41);
      const h0 = tf.randomNormal([3, 2], 0, 1, 'float32', 42);
      const c0 = tf.randomNormal([3, 2], 0, 1, 'float32', 43);
      const layer = new LSTM({ units: 2, returnSequences, returnState: true, goBackwards });
      layer.apply(x);
      const mask = tf.ones([3, 5], 'bool');
      const run = (useMask: boolean) => {
        const weights = layer.trainableWeights.map((w) => w.read());
        const f = (xv: tf.Tensor, hv: tf.Tensor, cv: tf.Tensor) => {
          const [seq, h, c] = layer.apply(xv, {
            initialState: [hv, cv],
            ...(useMask ? { mask } : {}),
          }) as tf.Tensor[];
          // Weights of different sizes per output so every path is exercised.
          return tf.addN([
            tf.sum(tf.mul(seq as tf.Tensor, tf.linspace(0.5, 1.5, 2))),
            tf.sum(tf.square(h as tf.Tensor)),
            tf.mul(tf.sum(c as tf.Tensor), 0.3),
          ]) as tf.Scalar;
        };
        const value = f(x, h0, c0);
        const inputGrads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => f(a, b, c))([
          x,
          h0,
          c0,
        ]);
        const { grads } = tf.variableGrads(() => f(x, h0, c0), weights as tf.Variable[]);
        return { value, grads: [...inputGrads, ...weights.map((w) => grads[w.name] as tf.Tensor)] };
      };
      const fast = run(false);
      const loop = run(true);
      expect(fast.value).toBeAllclose(loop.value, { atol: 1e-5 });
      fast.grads.forEach((g, i) => {
        expect(g).toBeAllclose(loop.grads[i], { atol: 1e-5, rtol: 1e-4 });
      });
    });
  }
});
