import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDropoutMasks } from './dropout-mask.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { SimpleRNN } from './simple-rnn.js';

beforeAll(() => ensureBackend());

const fraction = (flags: boolean[]) => flags.filter(Boolean).length / flags.length;
const eye = (n: number, scale: number) => tf.mul(tf.eye(n), scale);

describe('per-gate dropout masks', () => {
  it('draws `count` independent inverted-dropout masks', () => {
    const rate = 0.3;
    const masks = createDropoutMasks({ shape: [100, 200], rate, count: 3, seed: 5 });
    expect(masks).toHaveLength(3);
    const values = masks.map((m) => Array.from(m.dataSync()));
    for (const v of values) {
      expect(v.every((x) => x === 0 || Math.abs(x - 1 / (1 - rate)) < 1e-6)).toBe(true);
      // 20000 draws: the dropped fraction is within ~6 standard deviations (0.0032) of the rate.
      expect(fraction(v.map((x) => x === 0))).toBeCloseTo(rate, 1);
    }
    // Independent masks disagree on 2 p (1 - p) = 0.42 of the positions; identical ones on none.
    const a = values[0] as number[];
    const b = values[1] as number[];
    const disagree = fraction(a.map((x, i) => (x === 0) !== (b[i] === 0)));
    expect(Math.abs(disagree - 2 * rate * (1 - rate))).toBeLessThan(0.03);
  });

  it('a recurrent mask is drawn once per sequence and reused at every step', () => {
    // Linear SimpleRNN, kernel 0, recurrent kernel I, h0 = 1: h_t = h_{t-1} * m, so a reused
    // mask gives h_t = m^t (h_t = h_1^t), while fresh masks per step would zero more units.
    const units = 300;
    const layer = new SimpleRNN({
      units,
      activation: 'linear',
      recurrentDropout: 0.5,
      returnSequences: true,
      seed: 11,
    });
    const x = tf.zeros([2, 4, 1]);
    layer.apply(x);
    layer.setWeights([tf.zeros([1, units]), eye(units, 1), tf.zeros([units])]);
    const seq = layer.apply(x, {
      training: true,
      initialState: [tf.ones([2, units])],
    }) as tf.Tensor;
    const steps = tf.unstack(seq, 1);
    const h1 = steps[0] as tf.Tensor;
    steps.forEach((h, t) => {
      expect(h).toBeAllclose(tf.pow(h1, t + 1), { rtol: 1e-5 });
    });
    const kept = fraction(Array.from(h1.dataSync()).map((v) => v !== 0));
    expect(Math.abs(kept - 0.5)).toBeLessThan(0.1);
    // Inference draws nothing: h stays 1.
    const inference = layer.apply(x, { initialState: [tf.ones([2, units])] }) as tf.Tensor;
    expect(inference).toBeAllclose(tf.ones([2, 4, units]));
  });

  it('LSTM gates draw separate recurrent masks (Keras 3: 4 with recurrent dropout)', () => {
    // Kernel 0, bias 0, h0 = 1, c0 = 0, recurrent blocks [I, 0, I, 0]: after one step
    // c_j = i_j * g_j, with g_j = tanh(2) where the cell gate keeps unit j (mask value 2) and 0
    // where it drops it, i_j = sigmoid(2) where the input gate keeps it and 0.5 where it drops.
    const u = 400;
    const layer = new LSTM({
      units: u,
      recurrentDropout: 0.5,
      unitForgetBias: false,
      returnState: true,
      seed: 3,
    });
    const x = tf.zeros([1, 1, 1]);
    layer.apply(x);
    const zero = tf.zeros([u, u]);
    layer.setWeights([
      tf.zeros([1, 4 * u]),
      tf.concat([eye(u, 1), zero, eye(u, 1), zero], 1),
      tf.zeros([4 * u]),
    ]);
    const [, , c] = layer.apply(x, {
      training: true,
      initialState: [tf.ones([1, u]), tf.zeros([1, u])],
    }) as tf.Tensor[];
    const cv = Array.from((c as tf.Tensor).dataSync());
    const g = Math.tanh(2);
    const cellKept = cv.map((v) => v !== 0);
    const inputKept = cv
      .filter((v) => v !== 0)
      .map((v) => Math.abs(v - g / (1 + Math.exp(-2))) < 1e-5);
    // Every value is one of the three closed forms.
    for (const v of cv) {
      const known = [0, 0.5 * g, g / (1 + Math.exp(-2))].some((e) => Math.abs(v - e) < 1e-5);
      expect(known).toBe(true);
    }
    expect(Math.abs(fraction(cellKept) - 0.5)).toBeLessThan(0.1);
    // A mask shared by the gates would keep the input gate wherever the cell gate is kept (1.0).
    expect(Math.abs(fraction(inputKept) - 0.5)).toBeLessThan(0.15);
  });

  it('GRU gates draw separate recurrent masks (Keras 3: 3 with recurrent dropout)', () => {
    // Kernel 0, bias 0, h0 = 1, recurrent blocks [I, 0, 2 I]: z = sigmoid(2) where the update
    // gate keeps the unit, else 0.5; r = 0.5; hh = tanh(0.5 * 4) where the candidate keeps it,
    // else 0; h = z + (1 - z) hh. The four (z, hh) combinations give four distinct values.
    const u = 400;
    const layer = new GRU({ units: u, recurrentDropout: 0.5, seed: 8 });
    const x = tf.zeros([1, 1, 1]);
    layer.apply(x);
    const zero = tf.zeros([u, u]);
    layer.setWeights([
      tf.zeros([1, 3 * u]),
      tf.concat([eye(u, 1), zero, eye(u, 2)], 1),
      tf.zeros([2, 3 * u]),
    ]);
    const h = layer.apply(x, { training: true, initialState: [tf.ones([1, u])] }) as tf.Tensor;
    const sig2 = 1 / (1 + Math.exp(-2));
    const hh = Math.tanh(2);
    const cases = [
      { z: true, c: true, v: sig2 + (1 - sig2) * hh },
      { z: true, c: false, v: sig2 },
      { z: false, c: true, v: 0.5 + 0.5 * hh },
      { z: false, c: false, v: 0.5 },
    ];
    const decoded = Array.from(h.dataSync()).map((v) => {
      const hit = cases.find((k) => Math.abs(k.v - v) < 1e-5);
      expect(hit).toBeDefined();
      return hit as (typeof cases)[number];
    });
    const disagree = fraction(decoded.map((d) => d.z !== d.c));
    // Independent masks at rate 0.5 disagree on half the units; a shared mask on none.
    expect(Math.abs(disagree - 0.5)).toBeLessThan(0.15);
  });
});
