import { readFileSync } from 'node:fs';
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, modelFromJSON } from './load-model.js';
import { loadWeights } from './weights-api.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures`;

beforeAll(() => ensureBackend());

interface IoJson {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, { shape: number[]; dtype: string; data: unknown }>;
  outputs: Record<string, { shape: number[]; data: unknown }>;
}

type Predictor = { predictOnBatch(x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] };

function predictFixture(model: unknown, io: IoJson): tf.Tensor[] {
  const xs = io.input_names.map((n) => {
    const spec = io.inputs[n] as IoJson['inputs'][string];
    return tf.tensor(
      spec.data as number[],
      spec.shape,
      spec.dtype === 'int32' ? 'int32' : 'float32',
    );
  });
  const out = (model as Predictor).predictOnBatch(xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
  return Array.isArray(out) ? out : [out];
}

const KERAS3 = [
  'a_mlp',
  'b_cnn',
  'c_embedding_lstm',
  'd_embedding_gru',
  'e_batchnorm_dropout',
  'f_two_outputs',
  'g_shared_layer',
  'h1_conv_extras',
  'h2_layernorm_mha',
];

describe('Keras 3.15 fixtures: predictions match Keras (atol 1e-5, rtol 1e-4)', () => {
  for (const name of KERAS3) {
    for (const file of ['model.keras', 'model.h5']) {
      it(`${name}/${file}`, async () => {
        const dir = `${FIX}/keras3/${name}`;
        const io = JSON.parse(readFileSync(`${dir}/io.json`, 'utf8')) as IoJson;
        const model = await loadModel(`${dir}/${file}`, { warn: () => {} });
        const outs = predictFixture(model, io);
        io.output_names.forEach((n, i) => {
          expect(outs[i]).toBeAllclose((io.outputs[n] as { data: unknown }).data, {
            atol: 1e-5,
            rtol: 1e-4,
          });
        });
      });
    }
    it(`${name}/model.weights.h5 into a model rebuilt from its config`, async () => {
      const dir = `${FIX}/keras3/${name}`;
      const io = JSON.parse(readFileSync(`${dir}/io.json`, 'utf8')) as IoJson;
      const { readZip } = await import('../io/zip.js');
      const config = readZip(readFileSync(`${dir}/model.keras`), { source: name }).get(
        'config.json',
      );
      const model = modelFromJSON(new TextDecoder().decode(config));
      await loadWeights(model, `${dir}/model.weights.h5`, { skipOptimizer: true });
      const outs = predictFixture(model, io);
      io.output_names.forEach((n, i) => {
        expect(outs[i]).toBeAllclose((io.outputs[n] as { data: unknown }).data, {
          atol: 1e-5,
          rtol: 1e-4,
        });
      });
    });
  }
});
