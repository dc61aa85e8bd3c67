import { readFileSync } from 'node:fs';
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from './load-model.js';
import { loadWeights } from './weights-api.js';

const REAL = `${import.meta.dirname}/../../../../../shared/fixtures/real`;

beforeAll(() => ensureBackend());

type Predictor = { predictOnBatch(x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] };

interface Expected {
  model: string;
  inputs: Record<string, { shape: number[]; data: number[] }>;
  predictions: Record<string, { shape: number[]; data: number[] }>;
}

function first<T>(record: Record<string, T>): T {
  return Object.values(record)[0] as T;
}

async function checkExpected(file: string, dtype: 'float32' | 'int32' = 'float32'): Promise<void> {
  const exp = JSON.parse(readFileSync(`${REAL}/expected/${file}`, 'utf8')) as Expected;
  const model = (await loadModel(`${REAL}/${exp.model}`, {
    warn: () => {},
  })) as unknown as Predictor;
  const input = first(exp.inputs);
  const out = model.predictOnBatch(tf.tensor(input.data, input.shape, dtype));
  const pred = first(exp.predictions);
  expect(Array.isArray(out) ? out[0] : out).toBeAllclose(tf.tensor(pred.data, pred.shape), {
    atol: 1e-5,
    rtol: 1e-4,
  });
}

describe('real Keras 2 / TF.js files: predictions match the stored ones', () => {
  for (const file of [
    'dl4j_simple_sparse_xent_mlp.json',
    'dl4j_dense_leakyrelu.json',
    'dl4j_conv1d_k3_s2_d1_valid.json',
    'dl4j_conv1d_k2_s1_d2_same.json',
    'dl4j_causal_conv1d_k2_d2.json',
    'dl4j_simple_rnn.json',
    'dl4j_simple_flatten_lstm.json',
    'dl4j_cnn_batch_norm.json',
  ]) {
    it(file, () => checkExpected(file));
  }

  it('tfjs_e2e_embedding_gru.json (tfjs-layers model.json, GRU reset_after=false, hard_sigmoid)', () =>
    checkExpected('tfjs_e2e_embedding_gru.json', 'int32'));

  it('h5wasm-written .keras, .weights.h5 and legacy .h5 give the recorded predictions', async () => {
    const exp = JSON.parse(readFileSync(`${REAL}/js_written_by_h5wasm/expected.json`, 'utf8'));
    const x = tf.tensor(exp.inputs);
    const fromKeras = (await loadModel(
      `${REAL}/js_written_by_h5wasm/js_written.keras`,
    )) as unknown as Predictor;
    expect(fromKeras.predictOnBatch(x)).toBeAllclose(exp.predictions, { atol: 1e-5, rtol: 1e-4 });
    const fromH5 = (await loadModel(
      `${REAL}/js_written_by_h5wasm/js_written_legacy.h5`,
    )) as unknown as Predictor;
    expect(fromH5.predictOnBatch(x)).toBeAllclose(exp.predictions, { atol: 1e-5, rtol: 1e-4 });
    const fresh = (await loadModel(
      `${REAL}/js_written_by_h5wasm/js_written.keras`,
    )) as unknown as Predictor;
    await loadWeights(fresh, `${REAL}/js_written_by_h5wasm/js_written.weights.h5`);
    expect(fresh.predictOnBatch(x)).toBeAllclose(exp.predictions, { atol: 1e-5, rtol: 1e-4 });
  });
});

describe('real format variants', () => {
  it('loads an HDF5 file named .keras (tf.keras 2.11), detected by its bytes', async () => {
    const model = await loadModel(`${REAL}/keras2_h5/tfk2.11_hdf5_named_dot_keras.keras`, {
      warn: () => {},
    });
    expect(model.layers.length).toBeGreaterThan(1);
  });

  it('loads the Keras 3.8 Sequential Masking -> LSTM archive', async () => {
    const model = await loadModel(`${REAL}/keras3_keras/k3.8_masking_lstm.keras`, {
      warn: () => {},
    });
    const lstm = model.layers.find((l) => l.name === 'lstm');
    expect(lstm?.weights.map((w) => [...w.value.shape])).toEqual([[2, 4], [1, 4], [4]]);
  });

  it('refuses an unregistered custom model class with a register-it error', async () => {
    await expect(
      loadModel(`${REAL}/keras3_keras/k3.15_custom_nested_container.keras`),
    ).rejects.toThrow(/k3.15_custom_nested_container.keras.*NestedDenseModel/s);
  });

  it('refuses the Keras 3.13 file whose layer weights are missing', async () => {
    await expect(
      loadModel(`${REAL}/keras3_keras/k3.13_custom_subclass_adam_state_bugged.keras`),
    ).rejects.toThrow(/k3.13_custom_subclass_adam_state_bugged.keras/);
  });

  it('loads the Keras <= 2.1 list-style Sequential TF.js model', async () => {
    const model = await loadModel(
      `${REAL}/tfjs_layers/tfjs_rn_bundle_model_legacy_list_config/bundle_model_test.json`,
    );
    expect(model.weights.map((w) => [...w.value.shape])).toEqual([[10, 1], [1]]);
  });

  for (const file of [
    'tfkeras_mlp_0.h5',
    'tfkeras_misc_0.h5',
    'tfkeras_cnn2d_64.h5',
    'tfkeras_issue_9349.hdf5',
    'weights_conv2d_theano_2.h5',
    'weights_embedding_lstm_tensorflow_2.h5',
    'weights_bidirectional_lstm_tensorflow_2.h5',
    'weights_keras-attention.h5',
  ]) {
    it(`loads dl4j_format_variants/${file}`, async () => {
      const model = await loadModel(`${REAL}/keras2_h5/dl4j_format_variants/${file}`, {
        warn: () => {},
      });
      expect(model.weights.length).toBeGreaterThan(0);
    });
  }

  it('names the file and the unsupported option for the channels_first Bidirectional ConvLSTM2D', async () => {
    await expect(
      loadModel(`${REAL}/keras2_h5/dl4j_format_variants/tfkeras_convlstm2d_0.h5`),
    ).rejects.toThrow(/tfkeras_convlstm2d_0.h5.*channels_first/s);
  });

  it('refuses the Keras 1.2.2 split-gate LSTM file clearly', async () => {
    await expect(
      loadModel(`${REAL}/keras2_h5/dl4j_format_variants/weights_lstm_tensorflow_1.h5`),
    ).rejects.toThrow(/written by Keras 1.2.2/);
  });
});
