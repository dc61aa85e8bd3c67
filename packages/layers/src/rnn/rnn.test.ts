import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Layer } from '../engine/layer.js';
import type { CallArgs, Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { Constant } from '../initializers/index.js';
import { runLayerTest } from '../testing/index.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { LSTMCell } from './lstm-cell.js';
import { RNN } from './rnn.js';
import { SimpleRNN } from './simple-rnn.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';

beforeAll(() => ensureBackend());

const k = (v: number) => new Constant({ value: v });
const constants = {
  kernelInitializer: k(0.01),
  recurrentInitializer: k(0.02),
  biasInitializer: k(0.03),
};
const arange = (shape: number[]) =>
  tf.reshape(
    tf.range(
      0,
      shape.reduce((a, b) => a * b, 1),
      1,
      'float32',
    ),
    shape,
  );

/** A SimpleRNN(units) step in plain tf ops, as the reference the layer's loop must match. */
function referenceSimpleRnn(
  x: tf.Tensor,
  w: tf.Tensor[],
  opts: { backwards?: boolean; h0?: tf.Tensor } = {},
) {
  const [kernel, rec, bias] = w as [tf.Tensor, tf.Tensor, tf.Tensor];
  const steps = tf.unstack(x, 1);
  if (opts.backwards) steps.reverse();
  let h = opts.h0 ?? tf.zeros([x.shape[0], rec.shape[0]]);
  const outs: tf.Tensor[] = [];
  for (const xt of steps) {
    h = tf.tanh(tf.add(tf.add(tf.matMul(xt, kernel), tf.matMul(h, rec)), bias));
    outs.push(h);
  }
  return { last: h, all: tf.stack(outs, 1) };
}

describe('RNN layers through runLayerTest', () => {
  it('SimpleRNN, LSTM, GRU: shapes, weight counts, config round trip, training', () => {
    runLayerTest(SimpleRNN, {
      initArgs: { units: 3 },
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 3,
      expectedNumNonTrainableWeights: 0,
    });
    runLayerTest(LSTM, {
      initArgs: { units: 3, returnSequences: true },
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 4, 3],
      expectedNumTrainableWeights: 3,
    });
    runLayerTest(GRU, {
      initArgs: { units: 3, returnState: true },
      inputShape: [2, 4, 5],
      expectedOutputShape: [
        [2, 3],
        [2, 3],
      ],
      expectedNumTrainableWeights: 3,
    });
  });
});

describe('RNN behaviour', () => {
  it('weights have Keras shapes: LSTM bias 4u with unit_forget_bias, GRU bias (2, 3u)', () => {
    const lstm = new LSTM({ units: 3 });
    lstm.apply(tf.zeros([1, 2, 5]));
    expect(lstm.weights.map((w) => w.shape)).toEqual([[5, 12], [3, 12], [12]]);
    expect(lstm.weights[2]?.read()).toBeAllclose([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const gru = new GRU({ units: 3 });
    gru.apply(tf.zeros([1, 2, 5]));
    expect(gru.weights.map((w) => w.shape)).toEqual([
      [5, 9],
      [3, 9],
      [2, 9],
    ]);
    const old = new GRU({ units: 3, resetAfter: false });
    old.apply(tf.zeros([1, 2, 5]));
    expect(old.weights[2]?.shape).toEqual([9]);
  });

  it('returnSequences / goBackwards / initialState match a plain-ops reference', () => {
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 7);
    const h0 = tf.randomNormal([2, 4], 0, 1, 'float32', 8);
    const layer = new SimpleRNN({ units: 4, returnSequences: true, goBackwards: true });
    const out = layer.apply(x, { initialState: [h0] }) as tf.Tensor;
    const ref = referenceSimpleRnn(x, layer.getWeights(), { backwards: true, h0 });
    expect(out).toBeAllclose(ref.all, { atol: 1e-5 });
  });

  it('returnState gives [output, h, c] for LSTM, the last output equal to h', () => {
    const layer = new LSTM({ units: 3, returnState: true, ...constants });
    const [out, h, c] = layer.apply(arange([3, 6, 4])) as tf.Tensor[];
    expect(out).toBeAllclose(h as tf.Tensor);
    expect(out).toBeAllclose(
      [0.6288687, 0.86899155, 0.9460773].map((v) => [v, v, v]),
      { atol: 1e-6 },
    );
    expect(c?.shape).toEqual([3, 3]);
  });

  it('a mask skips timesteps: states carry over, the masked output repeats the previous one', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 9);
    const layer = new SimpleRNN({ units: 2, returnSequences: true });
    const mask = tf.tensor2d(
      [
        [true, true, false, false],
        [true, false, true, true],
      ],
      [2, 4],
      'bool',
    );
    const out = layer.apply(x, { mask }) as tf.Tensor;
    const w = layer.getWeights();
    // Sample 0 sees steps 0-1 only; sample 1 sees steps 0, 2, 3.
    const s0 = referenceSimpleRnn(tf.slice(x, [0, 0, 0], [1, 2, 3]), w);
    const s1 = referenceSimpleRnn(tf.gather(tf.slice(x, [1, 0, 0], [1, 4, 3]), [0, 2, 3], 1), w);
    const rows = tf.unstack(out, 0) as [tf.Tensor, tf.Tensor];
    const last0 = tf.squeeze(s0.last);
    expect(rows[0]).toBeAllclose(tf.stack([...tf.unstack(tf.squeeze(s0.all, [0])), last0, last0]), {
      atol: 1e-5,
    });
    const a1 = tf.unstack(tf.squeeze(s1.all, [0]));
    expect(rows[1]).toBeAllclose(
      tf.stack([a1[0] as tf.Tensor, a1[0] as tf.Tensor, a1[1] as tf.Tensor, a1[2] as tf.Tensor]),
      {
        atol: 1e-5,
      },
    );
    // The last output of a non-sequence layer is the last unmasked step's.
    const lastOnly = new SimpleRNN({ units: 2 });
    lastOnly.apply(x);
    lastOnly.setWeights(w);
    expect(lastOnly.apply(x, { mask })).toBeAllclose(tf.concat([s0.last, s1.last]), { atol: 1e-5 });
  });

  it('stateful layers carry states across calls until resetStates', () => {
    const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 11);
    const layer = new GRU({ units: 3, stateful: true, batchInputShape: [2, 3, 2] });
    const first = layer.apply(x) as tf.Tensor;
    const second = layer.apply(x) as tf.Tensor;
    const whole = new GRU({ units: 3 });
    const x2 = tf.concat([x, x], 1);
    whole.apply(x2);
    whole.setWeights(layer.getWeights());
    expect(second).toBeAllclose(whole.apply(x2) as tf.Tensor, { atol: 1e-5 });
    layer.resetStates();
    expect(layer.apply(x)).toBeAllclose(first, { atol: 1e-6 });
    expect(() => layer.apply(tf.zeros([3, 3, 2]))).toThrow(
      /Expected batch size: 2. Received batch size: 3/,
    );
  });

  it('dropout changes training outputs only; recurrent dropout too', () => {
    const x = tf.randomNormal([4, 5, 6], 0, 1, 'float32', 12);
    const layer = new LSTM({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 3 });
    const inference = layer.apply(x) as tf.Tensor;
    const plain = new LSTM({ units: 3 });
    plain.apply(x);
    plain.setWeights(layer.getWeights());
    expect(inference).toBeAllclose(plain.apply(x) as tf.Tensor);
    const training = layer.apply(x, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(training, inference))).dataSync()[0]).toBeGreaterThan(1e-4);
  });

  it('gradients flow through the whole sequence (matches a finite difference)', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 13);
    for (const layer of [
      new SimpleRNN({ units: 2 }),
      new LSTM({ units: 2 }),
      new GRU({ units: 2 }),
    ]) {
      layer.apply(x);
      const kernel = layer.trainableWeights[1] as LayerVariable;
      const loss = () => tf.sum(tf.square(layer.apply(x) as tf.Tensor)) as tf.Scalar;
      const { grads } = tf.variableGrads(loss, [kernel.read()]);
      const g = (grads[kernel.read().name] as tf.Tensor).dataSync();
      const base = kernel.read().dataSync().slice();
      const eps = 1e-2;
      const at = (delta: number) => {
        const v = base.slice();
        v[1] = (v[1] as number) + delta;
        kernel.assign(tf.tensor(v, kernel.shape));
        return loss().dataSync()[0] as number;
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      kernel.assign(tf.tensor(base, kernel.shape));
      expect(g[1]).toBeCloseTo(numeric, 2);
    }
  });

  it('runs a user cell and a list of cells (StackedRNNCells)', () => {
    class MinimalCell extends Layer {
      stateSize = 2;
      w: LayerVariable | null = null;
      override build(shape: Shape | Shape[]): void {
        const s = (Array.isArray(shape[0]) ? shape[0] : shape) as Shape;
        this.w = this.addWeight({
          name: 'w',
          shape: [s[s.length - 1] as number, 2],
          initializer: 'ones',
        });
        super.build(shape);
      }
      override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor[] {
        const [x, h] = inputs as [tf.Tensor, tf.Tensor];
        const out = tf.add(tf.matMul(x, (this.w as LayerVariable).read()), h);
        return [out, out];
      }
    }
    // Running sum of the features over time.
    const x = arange([1, 3, 2]);
    expect(new RNN({ cell: new MinimalCell() }).apply(x)).toBeAllclose([[15, 15]]);
    const stacked = new RNN({
      cell: [new SimpleRNNCell({ units: 3 }), new LSTMCell({ units: 2 })],
      returnState: true,
    });
    const outs = stacked.apply(tf.zeros([2, 4, 5])) as tf.Tensor[];
    expect(outs.map((t) => t.shape)).toEqual([
      [2, 2],
      [2, 3],
      [2, 2],
      [2, 2],
    ]);
    expect(stacked.weights.length).toBe(6);
  });

  it('bad inputs fail with what was expected and what came', () => {
    const layer = new LSTM({ units: 2 });
    expect(() => layer.apply(tf.zeros([2, 3]))).toThrow(/expected ndim=3.*found ndim=2/);
    const ok = new LSTM({ units: 2 });
    ok.apply(tf.zeros([2, 3, 4]));
    expect(() =>
      ok.apply(tf.zeros([2, 3, 4]), { initialState: [tf.zeros([2, 5]), tf.zeros([2, 2])] }),
    ).toThrow(/initial state 0 expected shape \(2, 2\). Received: shape=\(2, 5\)/);
    expect(() => ok.apply(tf.zeros([2, 3, 4]), { mask: tf.ones([2, 4], 'bool') })).toThrow(
      /expected a mask of shape \(2, 3\).*Received: mask.shape=\(2, 4\)/,
    );
    expect(() => new LSTM({ units: 0 })).toThrow(/Received: units=0/);
    expect(() => new GRU({ units: 2, dropout: 1.5 })).toThrow(/Received: dropout=1.5/);
    expect(() => new RNN({ cell: {} as never })).toThrow(/Argument `cell`/);
  });
});

describe('configs', () => {
  it('LSTM writes Keras 3 keys and reads them back (and Keras 2 extras like implementation)', () => {
    const layer = new LSTM({ units: 4, returnSequences: true, name: 'lstm_x' });
    const config = layer.getConfig();
    expect(config).toMatchObject({
      name: 'lstm_x',
      units: 4,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      unit_forget_bias: true,
      return_sequences: true,
      go_backwards: false,
      dropout: 0,
    });
    expect(config).not.toHaveProperty('cell');
    const back = LSTM.fromConfig({ ...config, implementation: 1 });
    expect(back.getConfig()).toEqual(config);
    const gru = GRU.fromConfig(new GRU({ units: 2, resetAfter: false }).getConfig());
    expect(gru.getConfig()).toMatchObject({ reset_after: false, units: 2 });
    expect(new SimpleRNN({ units: 2 }).getConfig()).not.toHaveProperty('recurrent_activation');
  });

  it('RNN serializes its cell and rebuilds it from the registry', () => {
    const rnn = new RNN({ cell: new LSTMCell({ units: 3 }), returnSequences: true });
    const config = rnn.getConfig();
    expect(config.cell).toMatchObject({ class_name: 'LSTMCell', config: { units: 3 } });
    const back = RNN.fromConfig(config);
    expect(back.cell).toBeInstanceOf(LSTMCell);
  });
});

describe('edge cases', () => {
  it('an empty sequence is a clear error on every path', () => {
    for (const layer of [new LSTM({ units: 2 }), new GRU({ units: 2 })]) {
      expect(() => layer.apply(tf.zeros([2, 0, 3]))).toThrow(/at least one timestep/);
    }
  });
});
