import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Constant } from '../initializers/index.js';
import { ConvLSTM1D, ConvLSTM2D } from './conv-lstm.js';
import { LSTM } from './lstm.js';

beforeAll(() => ensureBackend());

const constants = () => ({
  kernelInitializer: new Constant({ value: 0.01 }),
  recurrentInitializer: new Constant({ value: 0.02 }),
  biasInitializer: new Constant({ value: 0.03 }),
});
const arange = (shape: number[], scale: number) =>
  tf.div(
    tf.reshape(
      tf.range(
        0,
        shape.reduce((a, b) => a * b, 1),
        1,
        'float32',
      ),
      shape,
    ),
    scale,
  );

describe('ConvLSTM', () => {
  // Keras 3's conv_lstm1d_test / conv_lstm2d_test `test_correctness` values.
  it("ConvLSTM1D reproduces Keras's values", () => {
    const layer = new ConvLSTM1D({ filters: 2, kernelSize: 3, ...constants() });
    expect(layer.apply(arange([2, 3, 4, 5], 10))).toBeAllclose(
      [
        [
          [0.40807986, 0.40807986],
          [0.46421072, 0.46421072],
        ],
        [
          [0.80933154, 0.80933154],
          [0.8233646, 0.8233646],
        ],
      ],
      { atol: 1e-5 },
    );
  });

  it("ConvLSTM2D reproduces Keras's values", () => {
    const layer = new ConvLSTM2D({ filters: 2, kernelSize: 3, ...constants() });
    expect(layer.apply(arange([2, 3, 4, 4, 5], 100))).toBeAllclose(
      [
        [
          [
            [0.48694518, 0.48694518],
            [0.50237733, 0.50237733],
          ],
          [
            [0.5461202, 0.5461202],
            [0.5598283, 0.5598283],
          ],
        ],
        [
          [
            [0.8661607, 0.8661607],
            [0.86909103, 0.86909103],
          ],
          [
            [0.8774414, 0.8774414],
            [0.8800861, 0.8800861],
          ],
        ],
      ],
      { atol: 1e-5 },
    );
  });

  it('a 1x1 ConvLSTM2D is an LSTM per pixel (same weights)', () => {
    const x = tf.randomNormal([2, 3, 2, 2, 4], 0, 1, 'float32', 31);
    const conv = new ConvLSTM2D({ filters: 3, kernelSize: 1, returnSequences: true });
    const y = conv.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 2, 2, 3]);
    const [k, rk, b] = conv.getWeights() as [tf.Tensor, tf.Tensor, tf.Tensor];
    const lstm = new LSTM({ units: 3, returnSequences: true });
    const pixels = tf.reshape(tf.transpose(x, [0, 2, 3, 1, 4]), [8, 3, 4]);
    lstm.apply(pixels);
    lstm.setWeights([tf.reshape(k, [4, 12]), tf.reshape(rk, [3, 12]), b]);
    const perPixel = tf.transpose(
      tf.reshape(lstm.apply(pixels) as tf.Tensor, [2, 2, 2, 3, 3]),
      [0, 3, 1, 2, 4],
    );
    expect(y).toBeAllclose(perPixel, { atol: 1e-5 });
  });

  it('shapes, states, padding and config', () => {
    const layer = new ConvLSTM2D({
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      returnState: true,
      name: 'clstm',
    });
    const outs = layer.apply(tf.zeros([1, 2, 5, 5, 3])) as tf.Tensor[];
    expect(outs.map((t) => t.shape)).toEqual([
      [1, 5, 5, 2],
      [1, 5, 5, 2],
      [1, 5, 5, 2],
    ]);
    expect(layer.computeOutputShape([null, 2, 5, 5, 3])).toEqual([
      [null, 5, 5, 2],
      [null, 5, 5, 2],
      [null, 5, 5, 2],
    ]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[3, 3, 3, 8], [3, 3, 2, 8], [8]]);
    const config = layer.getConfig();
    expect(config).toMatchObject({
      name: 'clstm',
      filters: 2,
      kernel_size: [3, 3],
      padding: 'same',
      unit_forget_bias: true,
    });
    expect(config).not.toHaveProperty('units');
    expect(ConvLSTM2D.fromConfig(config).getConfig()).toEqual(config);
    expect(() => layer.apply(tf.zeros([1, 2, 5, 3]))).toThrow(/expected ndim=5/);
  });
});
