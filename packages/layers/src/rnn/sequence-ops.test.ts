import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RNN } from './rnn.js';
import { SimpleRNN } from './simple-rnn.js';

beforeAll(() => ensureBackend());

/**
 * Runs `layer` on the whole-sequence fast path (no mask) and on the general per-step loop (an
 * all-true mask sends it there: taped ops, a second implementation of the same math), returning
 * the loss value and the gradients of x, h0 and every weight for both.
 */
function bothPaths(layer: RNN, x: tf.Tensor, h0: tf.Tensor) {
  layer.apply(x);
  // Non-zero biases so their gradients and the reset_after recurrent row are exercised.
  for (const w of layer.trainableWeights) {
    if (w.name.endsWith('bias')) {
      const v = w.read();
      (v as tf.Variable).assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', 7));
    }
  }
  const [batch, time] = x.shape as [number, number];
  const mask = tf.ones([batch, time], 'bool');
  const run = (useMask: boolean) => {
    const weights = layer.trainableWeights.map((w) => w.read()) as tf.Variable[];
    const f = (xv: tf.Tensor, hv: tf.Tensor) => {
      const [seq, h] = layer.apply(xv, {
        initialState: [hv],
        ...(useMask ? { mask } : {}),
      }) as tf.Tensor[];
      const units = (h as tf.Tensor).shape[1] as number;
      // Different weights per unit and per step so every path carries its own cotangent.
      return tf.add(
        tf.sum(tf.mul(seq as tf.Tensor, tf.linspace(0.5, 1.5, units))),
        tf.sum(tf.square(h as tf.Tensor)),
      ) as tf.Scalar;
    };
    const value = f(x, h0);
    const inputGrads = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a, b))([x, h0]);
    const { grads } = tf.variableGrads(() => f(x, h0), weights);
    return { value, grads: [...inputGrads, ...weights.map((w) => grads[w.name] as tf.Tensor)] };
  };
  return { fast: run(false), loop: run(true) };
}

function expectSame(paths: ReturnType<typeof bothPaths>) {
  expect(paths.fast.grads).toHaveLength(paths.loop.grads.length);
  expect(paths.fast.value).toBeAllclose(paths.loop.value, { atol: 1e-5, rtol: 1e-5 });
  paths.fast.grads.forEach((g, i) => {
    expect(g).toBeAllclose(paths.loop.grads[i], { atol: 1e-5, rtol: 1e-4 });
  });
}

describe('the whole-sequence GRU op', () => {
  const cases = [
    { resetAfter: true, goBackwards: false, returnSequences: true },
    { resetAfter: true, goBackwards: true, returnSequences: false },
    { resetAfter: false, goBackwards: false, returnSequences: false },
    { resetAfter: false, goBackwards: true, returnSequences: true },
  ];
  for (const { resetAfter, goBackwards, returnSequences } of cases) {
    it(`matches the per-step loop in values and all gradients (resetAfter=${resetAfter}, goBackwards=${goBackwards}, returnSequences=${returnSequences})`, () => {
      const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 51);
      const h0 = tf.randomNormal([3, 3], 0, 1, 'float32', 52);
      const layer = new GRU({
        units: 3,
        resetAfter,
        goBackwards,
        returnSequences,
        returnState: true,
      });
      expectSame(bothPaths(layer, x, h0));
    });
  }

  it('matches the per-step loop without a bias', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 53);
    const h0 = tf.randomNormal([2, 2], 0, 1, 'float32', 54);
    const layer = new GRU({ units: 2, useBias: false, returnSequences: true, returnState: true });
    expectSame(bothPaths(layer, x, h0));
  });
});

describe('the whole-sequence SimpleRNN op', () => {
  for (const goBackwards of [false, true]) {
    it(`matches the per-step loop in values and all gradients (goBackwards=${goBackwards})`, () => {
      const x = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 61);
      const h0 = tf.randomNormal([3, 3], 0, 1, 'float32', 62);
      const layer = new SimpleRNN({
        units: 3,
        goBackwards,
        returnSequences: true,
        returnState: true,
      });
      expectSame(bothPaths(layer, x, h0));
    });
  }

  it('returns the last output alone and keeps stateful states', () => {
    const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 63);
    const layer = new SimpleRNN({ units: 2, stateful: true, batchInputShape: [2, 3, 2] });
    const first = layer.apply(x) as tf.Tensor;
    expect(first.shape).toEqual([2, 2]);
    expect(layer.states?.[0]).toBeAllclose(first);
    // The carried state feeds the next batch: the same input gives a different output.
    const second = layer.apply(x) as tf.Tensor;
    const third = (() => {
      layer.resetStates();
      return layer.apply(x) as tf.Tensor;
    })();
    expect(third).toBeAllclose(first);
    expect(tf.max(tf.abs(tf.sub(second, first))).dataSync()[0]).toBeGreaterThan(1e-3);
  });
});

describe('input dropout on the whole-sequence ops', () => {
  it('applies the same seeded input mask as the per-step loop (GRU, SimpleRNN)', () => {
    const x = tf.randomNormal([4, 5, 6], 0, 1, 'float32', 71);
    for (const layer of [
      new GRU({ units: 3, dropout: 0.5, seed: 4 }),
      new SimpleRNN({ units: 3, dropout: 0.5, seed: 4 }),
    ]) {
      layer.apply(x);
      const fast = layer.apply(x, { training: true }) as tf.Tensor;
      const loop = layer.apply(x, { training: true, mask: tf.ones([4, 5], 'bool') }) as tf.Tensor;
      const inference = layer.apply(x) as tf.Tensor;
      expect(fast).toBeAllclose(loop, { atol: 1e-6 });
      expect(tf.max(tf.abs(tf.sub(fast, inference))).dataSync()[0]).toBeGreaterThan(1e-3);
    }
  });
});

describe('masked sequences on the whole-sequence GRU, SimpleRNN and LSTM ops', () => {
  // Sample 0 starts with masked steps (its outputs are zeros until its first kept step), sample
  // 1 has a gap, sample 2 is fully masked (state h0, output zeros).
  const makeMask = () =>
    tf.tensor2d(
      [
        [0, 0, 1, 1, 0],
        [1, 0, 1, 0, 1],
        [0, 0, 0, 0, 0],
      ],
      [3, 5],
      'bool',
    );
  const cases = [
    { resetAfter: true, goBackwards: false, returnSequences: true, zeroOutputForMask: false },
    { resetAfter: false, goBackwards: true, returnSequences: true, zeroOutputForMask: true },
    { resetAfter: true, goBackwards: true, returnSequences: false, zeroOutputForMask: false },
    { resetAfter: false, goBackwards: false, returnSequences: false, zeroOutputForMask: true },
    { simple: true, goBackwards: false, returnSequences: true, zeroOutputForMask: false },
    { simple: true, goBackwards: true, returnSequences: false, zeroOutputForMask: true },
    { lstm: true, goBackwards: false, returnSequences: true, zeroOutputForMask: false },
    { lstm: true, goBackwards: true, returnSequences: false, zeroOutputForMask: true },
    { lstm: true, goBackwards: false, returnSequences: false, zeroOutputForMask: false },
  ];
  for (const { simple, lstm, ...opts } of cases) {
    const name = simple ? 'SimpleRNN' : lstm ? 'LSTM' : 'GRU';
    it(`matches the per-step loop in values and all gradients (${name} ${JSON.stringify(opts)})`, () => {
      const x = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 81);
      const h0 = tf.randomNormal([3, 3], 0, 1, 'float32', 82);
      const mask = makeMask();
      const layer = simple
        ? new SimpleRNN({ units: 3, returnState: true, ...opts })
        : lstm
          ? new LSTM({ units: 3, returnState: true, ...opts })
          : new GRU({ units: 3, returnState: true, ...opts });
      const c0 = tf.randomNormal([3, 3], 0, 1, 'float32', 83);
      const initial = (h: tf.Tensor) => (lstm ? [h, c0] : [h]);
      layer.apply(x);
      const fastPath = layer.cell.runSequence.bind(layer.cell);
      let fastRuns = 0;
      const run = (useFast: boolean) => {
        layer.cell.runSequence = (args) => {
          if (!useFast) return null;
          fastRuns += 1;
          return fastPath(args);
        };
        const weights = layer.trainableWeights.map((w) => w.read()) as tf.Variable[];
        const f = (xv: tf.Tensor, hv: tf.Tensor) => {
          const [seq, h, c] = layer.apply(xv, { initialState: initial(hv), mask }) as tf.Tensor[];
          const loss = tf.add(
            tf.sum(tf.mul(seq as tf.Tensor, tf.linspace(0.5, 1.5, 3))),
            tf.sum(tf.square(h as tf.Tensor)),
          );
          return (c ? tf.add(loss, tf.mul(tf.sum(c), 0.3)) : loss) as tf.Scalar;
        };
        const outputs = layer.apply(x, { initialState: initial(h0), mask }) as tf.Tensor[];
        const inputGrads = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a, b))([x, h0]);
        const { grads } = tf.variableGrads(() => f(x, h0), weights);
        return {
          outputs,
          grads: [...inputGrads, ...weights.map((w) => grads[w.name] as tf.Tensor)],
        };
      };
      const fast = run(true);
      const loop = run(false);
      expect(fastRuns).toBeGreaterThan(0);
      fast.outputs.forEach((o, i) => {
        expect(o).toBeAllclose(loop.outputs[i] as tf.Tensor, { atol: 1e-5, rtol: 1e-5 });
      });
      fast.grads.forEach((g, i) => {
        expect(g).toBeAllclose(loop.grads[i] as tf.Tensor, { atol: 1e-5, rtol: 1e-4 });
      });
    });
  }
});
