import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import type { Activation } from '../core/activation.js';
import type { Dense } from '../core/dense.js';
import type { Layer } from '../engine/layer.js';
import type { Config, ConfigValue } from '../engine/types.js';
import { deserializeKerasObject } from './registry.js';
import { stripSharedIds } from './test-utils/keras3-fixtures.js';

const real = fileURLToPath(new URL('../../../../../shared/fixtures/real/', import.meta.url));

const OURS = new Set([
  'Dense',
  'Activation',
  'Dropout',
  'Flatten',
  'Embedding',
  'Reshape',
  'Permute',
  'RepeatVector',
  'Masking',
  'Add',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
  'Dot',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
]);

function h5Files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = `${dir}/${name}`;
    if (statSync(p).isDirectory()) return h5Files(p);
    return name.endsWith('.h5') ? [p] : [];
  });
}

/** Every layer config inside a (possibly nested) Keras 2 model config. */
function layerConfigs(model: Config): Config[] {
  const inner = model.config as Config | Config[];
  const layers = (
    Array.isArray(inner) ? inner : ((inner?.layers as Config[] | undefined) ?? [])
  ) as Config[];
  return layers.flatMap((l) => ((l.config as Config)?.layers ? layerConfigs(l) : [l]));
}

beforeAll(async () => {
  await ensureBackend();
  await h5wasm.ready;
});

describe('layer configs written by real Keras 2', () => {
  it('every Keras 2.x layer config of ours loads and keeps its settings', () => {
    let checked = 0;
    for (const path of h5Files(`${real}keras2_h5`)) {
      const file = new h5wasm.File(path, 'r');
      const version = String(file.attrs.keras_version?.value ?? '');
      const raw = file.attrs.model_config?.value;
      file.close();
      if (raw === undefined || !version.startsWith('2')) continue;
      for (const entry of layerConfigs(JSON.parse(String(raw)))) {
        if (!OURS.has(entry.class_name as string)) continue;
        const layer = deserializeKerasObject(entry as ConfigValue, { kind: 'layers' }) as Layer;
        const original = entry.config as Config;
        const ours = layer.getConfig();
        for (const key of [
          'name',
          'units',
          'activation',
          'use_bias',
          'rate',
          'axis',
          'input_dim',
          'output_dim',
          'target_shape',
          'dims',
          'n',
        ]) {
          if (key in original && key !== 'activation')
            expect(ours[key], `${path} ${key}`).toEqual(stripSharedIds(original[key]));
        }
        if ('activation' in original) expect(ours.activation).toEqual(original.activation);
        if ('batch_input_shape' in original)
          expect(layer.batchInputShape).toEqual(original.batch_input_shape);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('dl4j simple_sparse_xent (Keras 2.3.1): Dense + Activation(softmax) reproduce the saved predictions', () => {
    const expected = JSON.parse(
      readFileSync(`${real}expected/dl4j_simple_sparse_xent_mlp.json`, 'utf8'),
    );
    const file = new h5wasm.File(`${real}${expected.model}`, 'r');
    const configs = layerConfigs(JSON.parse(String(file.attrs.model_config?.value)));
    const denseEntry = configs.find((c) => c.class_name === 'Dense') as Config;
    const actEntry = configs.find((c) => c.class_name === 'Activation') as Config;
    const dense = deserializeKerasObject(denseEntry as ConfigValue, { kind: 'layers' }) as Dense;
    const act = deserializeKerasObject(actEntry as ConfigValue, { kind: 'layers' }) as Activation;
    const name = dense.name;
    const read = (v: string) => {
      const ds = file.get(`model_weights/${name}/${name}/${v}`);
      if (!(ds instanceof h5wasm.Dataset)) throw new Error(`missing ${v}`);
      return tf.tensor(Array.from(ds.value as Float32Array), ds.shape as number[]);
    };
    dense.build([null, 4]);
    dense.setWeights([read('kernel:0'), read('bias:0')]);
    file.close();
    const input = expected.inputs.dense_1_input as { shape: number[]; data: number[] };
    const pred = expected.predictions.activation_1 as { shape: number[]; data: number[] };
    const y = act.apply(dense.apply(tf.tensor(input.data, input.shape)) as tf.Tensor) as tf.Tensor;
    expect(y).toBeAllclose(tf.tensor(pred.data, pred.shape), { atol: 1e-6 });
  });
});
