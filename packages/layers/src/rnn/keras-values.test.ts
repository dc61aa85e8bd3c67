import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Constant } from '../initializers/index.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { SimpleRNN } from './simple-rnn.js';

beforeAll(() => ensureBackend());

// Keras 3's own layer tests (simple_rnn_test, lstm_test, gru_test: test_correctness): constant
// initializers 0.01 / 0.02 / 0.03 on arange inputs.
const constants = {
  kernelInitializer: new Constant({ value: 0.01 }),
  recurrentInitializer: new Constant({ value: 0.02 }),
  biasInitializer: new Constant({ value: 0.03 }),
};

function arange(shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.reshape(tf.range(0, n, 1, 'float32'), shape);
}

describe("Keras's recurrent reference values", () => {
  it('SimpleRNN(4)', () => {
    const layer = new SimpleRNN({ units: 4, ...constants });
    const out = layer.apply(arange([2, 3, 4])) as tf.Tensor;
    expect(out).toBeAllclose(
      [
        [0.405432, 0.405432, 0.405432, 0.405432],
        [0.73605347, 0.73605347, 0.73605347, 0.73605347],
      ],
      { atol: 1e-6 },
    );
  });

  it('LSTM(3)', () => {
    const layer = new LSTM({ units: 3, ...constants });
    const out = layer.apply(arange([3, 6, 4])) as tf.Tensor;
    expect(out).toBeAllclose(
      [
        [0.6288687, 0.6288687, 0.6288687],
        [0.86899155, 0.86899155, 0.86899155],
        [0.9460773, 0.9460773, 0.9460773],
      ],
      { atol: 1e-6 },
    );
  });

  it('GRU(3)', () => {
    const layer = new GRU({ units: 3, ...constants });
    const out = layer.apply(arange([3, 6, 4])) as tf.Tensor;
    expect(out).toBeAllclose(
      [
        [0.5217289, 0.5217289, 0.5217289],
        [0.6371659, 0.6371659, 0.6371659],
        [0.39384964, 0.39384964, 0.39384964],
      ],
      { atol: 1e-6 },
    );
  });
});
