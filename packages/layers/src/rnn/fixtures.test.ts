import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { SimpleRNN } from './simple-rnn.js';
import { readH5Tensors, readJson, readTfjsWeights, tensorOf } from './test-utils/fixtures.js';

beforeAll(() => ensureBackend());

type Record_ = { shape: number[]; data: unknown };
interface IoJson {
  inputs: Record<string, Record_>;
  intermediates: Record<string, Record_>;
}
interface ExpectedJson {
  inputs: Record<string, Record_>;
  predictions: Record<string, Record_>;
}

describe('Keras 3 fixtures (torch backend, Keras 3.15.1)', () => {
  it('LSTM(8) after Embedding reproduces the intermediate output', async () => {
    const io = readJson<IoJson>('keras3/c_embedding_lstm/io.json');
    const weights = await readH5Tensors('keras3/c_embedding_lstm/model.h5', [
      'model_weights/lstm/lstm/lstm_cell/kernel',
      'model_weights/lstm/lstm/lstm_cell/recurrent_kernel',
      'model_weights/lstm/lstm/lstm_cell/bias',
    ]);
    const lstm = new LSTM({ units: 8 });
    const embedded = tensorOf(io.intermediates.embed as Record_);
    lstm.apply(embedded);
    lstm.setWeights(weights);
    expect(lstm.apply(embedded)).toBeAllclose(tensorOf(io.intermediates.lstm as Record_), {
      atol: 1e-6,
    });
  });

  it('GRU(8, reset_after) after Embedding reproduces the intermediate output', async () => {
    const io = readJson<IoJson>('keras3/d_embedding_gru/io.json');
    const weights = await readH5Tensors('keras3/d_embedding_gru/model.h5', [
      'model_weights/gru/gru/gru_cell/kernel',
      'model_weights/gru/gru/gru_cell/recurrent_kernel',
      'model_weights/gru/gru/gru_cell/bias',
    ]);
    const gru = new GRU({ units: 8 });
    const embedded = tensorOf(io.intermediates.embed as Record_);
    gru.apply(embedded);
    gru.setWeights(weights);
    expect(gru.apply(embedded)).toBeAllclose(tensorOf(io.intermediates.gru as Record_), {
      atol: 1e-6,
    });
  });
});

describe('Keras 2 files (DL4J gold models, Keras 2.1.3)', () => {
  const dense = (h: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) =>
    tf.add(tf.matMul(h, kernel), bias);

  it('SimpleRNN(50) -> Dense(1) predictions', async () => {
    const expected = readJson<ExpectedJson>('real/expected/dl4j_simple_rnn.json');
    const file = 'real/keras2_h5/dl4j_gold/examples/simple_rnn/simple_rnn_tf_keras_2_model.h5';
    const [k, rk, b, dk, db] = (await readH5Tensors(file, [
      'model_weights/simple_rnn_1/simple_rnn_1/kernel:0',
      'model_weights/simple_rnn_1/simple_rnn_1/recurrent_kernel:0',
      'model_weights/simple_rnn_1/simple_rnn_1/bias:0',
      'model_weights/dense_1/dense_1/kernel:0',
      'model_weights/dense_1/dense_1/bias:0',
    ])) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const rnn = new SimpleRNN({ units: 50, kerasVersion: '2.1.3' });
    const x = tensorOf(expected.inputs.simple_rnn_1_input as Record_);
    rnn.apply(x);
    rnn.setWeights([k, rk, b]);
    const y = dense(rnn.apply(x) as tf.Tensor, dk, db);
    expect(y).toBeAllclose(tensorOf(expected.predictions.dense_1 as Record_), {
      rtol: 1e-4,
      atol: 1e-4,
    });
  });

  it("LSTM(50, recurrent_activation='hard_sigmoid') computes Keras 2's hard sigmoid", async () => {
    const expected = readJson<ExpectedJson>('real/expected/dl4j_simple_flatten_lstm.json');
    const file =
      'real/keras2_h5/dl4j_gold/examples/simple_flatten_lstm/simple_flatten_lstm_tf_keras_2_model.h5';
    const [k, rk, b, dk, db] = (await readH5Tensors(file, [
      'model_weights/lstm_1/lstm_1/kernel:0',
      'model_weights/lstm_1/lstm_1/recurrent_kernel:0',
      'model_weights/lstm_1/lstm_1/bias:0',
      'model_weights/dense_1/dense_1/kernel:0',
      'model_weights/dense_1/dense_1/bias:0',
    ])) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const lstm = new LSTM({
      units: 50,
      recurrentActivation: 'hard_sigmoid',
      kerasVersion: '2.1.3',
    });
    const x = tensorOf(expected.inputs.lstm_1_input as Record_);
    lstm.apply(x);
    lstm.setWeights([k, rk, b]);
    const y = dense(lstm.apply(x) as tf.Tensor, dk, db);
    const want = tensorOf(expected.predictions.dense_1 as Record_);
    expect(y).toBeAllclose(want, { rtol: 1e-4, atol: 1e-4 });
    // The Keras 3 formula (relu6(x + 3) / 6) gives other numbers on the same weights.
    const keras3 = new LSTM({ units: 50, recurrentActivation: 'hard_sigmoid' });
    keras3.apply(x);
    keras3.setWeights([k, rk, b]);
    expect(
      tf.max(tf.abs(tf.sub(dense(keras3.apply(x) as tf.Tensor, dk, db), want))).dataSync()[0],
    ).toBeGreaterThan(1e-3);
  });
});

describe('TF.js layers file', () => {
  it('GRU(4, go_backwards, reset_after=false) after Embedding', () => {
    const expected = readJson<ExpectedJson>('real/expected/tfjs_e2e_embedding_gru.json');
    const dir = 'real/tfjs_layers/tfjs_e2e_layers_model_embedding_gru';
    const w = readTfjsWeights(dir);
    const ids = tensorOf(expected.inputs.embedding_Embedding2_input as Record_, 'int32');
    const embedded = tf.gather(w['embedding_Embedding2/embeddings'] as tf.Tensor, ids);
    // tfjs-layers' hard_sigmoid is the Keras 2 formula; its GRU has no reset_after (= false).
    const gru = new GRU({
      units: 4,
      recurrentActivation: 'hard_sigmoid',
      kerasVersion: 2,
      resetAfter: false,
      goBackwards: true,
    });
    gru.apply(embedded);
    gru.setWeights([
      w['gru_GRU1/kernel'] as tf.Tensor,
      w['gru_GRU1/recurrent_kernel'] as tf.Tensor,
      w['gru_GRU1/bias'] as tf.Tensor,
    ]);
    expect(gru.apply(embedded)).toBeAllclose(tensorOf(expected.predictions.gru_GRU1 as Record_), {
      atol: 1e-6,
    });
  });
});
