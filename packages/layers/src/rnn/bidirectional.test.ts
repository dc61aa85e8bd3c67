import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Bidirectional } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';

beforeAll(() => ensureBackend());

describe('Bidirectional', () => {
  const x = () => tf.randomNormal([2, 4, 3], 0, 1, 'float32', 21);

  /** Forward and backward runs of separately built layers with the wrapper's weights. */
  function directions(bi: Bidirectional, returnSequences: boolean) {
    const fw = new LSTM({ units: 2, returnSequences });
    const bw = new LSTM({ units: 2, returnSequences, goBackwards: true });
    fw.apply(x());
    bw.apply(x());
    fw.setWeights(bi.forwardLayer.getWeights());
    bw.setWeights(bi.backwardLayer.getWeights());
    return { f: fw.apply(x()) as tf.Tensor, b: bw.apply(x()) as tf.Tensor };
  }

  it('every merge mode combines forward and (time-flipped) backward sequences', () => {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
      const bi = new Bidirectional({
        layer: new LSTM({ units: 2, returnSequences: true }),
        mergeMode,
      });
      const out = bi.apply(x());
      const { f, b } = directions(bi, true);
      const br = tf.reverse(b, 1);
      const expected = {
        concat: () => tf.concat([f, br], -1),
        sum: () => tf.add(f, br),
        mul: () => tf.mul(f, br),
        ave: () => tf.div(tf.add(f, br), 2),
      };
      if (mergeMode === null) {
        const [a, c] = out as tf.Tensor[];
        expect(a).toBeAllclose(f, { atol: 1e-6 });
        expect(c).toBeAllclose(br, { atol: 1e-6 });
      } else {
        expect(out).toBeAllclose(expected[mergeMode](), { atol: 1e-6 });
      }
    }
  });

  it('names, weights and shapes follow Keras; states follow the outputs', () => {
    const bi = new Bidirectional({
      layer: new LSTM({ units: 2, returnState: true, name: 'lstm' }),
    });
    const outs = bi.apply(x()) as tf.Tensor[];
    expect(bi.forwardLayer.name).toBe('forward_lstm');
    expect(bi.backwardLayer.name).toBe('backward_lstm');
    expect(bi.backwardLayer.goBackwards).toBe(true);
    expect(bi.weights.length).toBe(6);
    expect(outs.map((t) => t.shape)).toEqual([
      [2, 4],
      [2, 2],
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(bi.computeOutputShape([null, 4, 3])).toEqual([
      [null, 4],
      [null, 2],
      [null, 2],
      [null, 2],
      [null, 2],
    ]);
    const { f, b } = directions(bi, false);
    expect(outs[0]).toBeAllclose(tf.concat([f, b], -1), { atol: 1e-6 });
  });

  it('initial states split forward then backward; config round trip; bad merge mode', () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'sum' });
    const h0 = tf.ones([2, 2]);
    const withState = bi.apply(x(), { initialState: [h0, tf.zeros([2, 2])] }) as tf.Tensor;
    expect(withState.shape).toEqual([2, 2]);
    expect(() => bi.apply(x(), { initialState: [h0] })).toThrow(
      /expects 1 forward and 1 backward initial states/,
    );
    const config = bi.getConfig();
    expect(config).toMatchObject({
      merge_mode: 'sum',
      layer: { class_name: 'GRU' },
      backward_layer: { class_name: 'GRU' },
    });
    const back = Bidirectional.fromConfig(config);
    expect(back.getConfig()).toEqual(config);
    expect(
      () => new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'max' as never }),
    ).toThrow(/Invalid merge mode. Received: max/);
  });
});
