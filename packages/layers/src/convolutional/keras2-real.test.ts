/**
 * Real Keras 2 files (Keras 2.1.3 / 2.3.1 `.h5`, from the DL4J test resources): the layer configs
 * are deserialized through the registry in the Keras 2 dialect (no `module`, `batch_input_shape`,
 * `alpha` for LeakyReLU), the weights loaded in `weight_names` order, and the outputs compared with
 * the predictions Keras saved beside each model.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import type { Layer } from '../engine/layer.js';
import type { Config } from '../engine/types.js';
import { deserializeKerasObject } from '../serialization/registry.js';

beforeAll(() => ensureBackend());

const realDir = fileURLToPath(new URL('../../../../../shared/fixtures/real/', import.meta.url));

interface Expected {
  model: string;
  inputs: Record<string, { shape: number[]; data: number[] }>;
  predictions: Record<string, { shape: number[]; data: number[] }>;
}

/** The model's layers (rebuilt from its Keras 2 config) with their saved weights set. */
async function loadKeras2(
  expectedFile: string,
): Promise<{ layers: Layer[]; x: tf.Tensor; y: tf.Tensor }> {
  const expected = JSON.parse(
    readFileSync(`${realDir}expected/${expectedFile}`, 'utf8'),
  ) as Expected;
  await h5wasm.ready;
  const file = new h5wasm.File(`${realDir}${expected.model}`, 'r');
  const modelConfig = JSON.parse(String(file.attrs.model_config?.value)) as {
    config: Config[] | { layers: Config[] };
  };
  const layerConfigs = Array.isArray(modelConfig.config)
    ? modelConfig.config
    : modelConfig.config.layers;
  const xSpec = Object.values(expected.inputs)[0] as { shape: number[]; data: number[] };
  const ySpec = Object.values(expected.predictions)[0] as { shape: number[]; data: number[] };
  const x = tf.tensor(xSpec.data, xSpec.shape);
  const layers: Layer[] = [];
  let shape = x.shape;
  for (const config of layerConfigs) {
    const layer = deserializeKerasObject(config, { kind: 'layers' }) as Layer;
    layer.maybeBuild(shape);
    const group = file.get(`model_weights/${layer.name}`) as InstanceType<typeof h5wasm.Group>;
    const names = (group.attrs.weight_names?.value ?? []) as string[];
    if (names.length > 0) {
      layer.setWeights(
        names.map((n) => {
          const ds = group.get(n) as InstanceType<typeof h5wasm.Dataset>;
          return tf.tensor(Array.from(ds.value as Float32Array), ds.shape ?? []);
        }),
      );
    }
    const out = layer.computeOutputShape(shape) as (number | null)[];
    shape = out.map((d, i) => d ?? (shape[i] as number)) as number[];
    layers.push(layer);
  }
  file.close();
  return { layers, x, y: tf.tensor(ySpec.data, ySpec.shape) };
}

const run = (layers: Layer[], x: tf.Tensor) => layers.reduce((h, l) => l.apply(h) as tf.Tensor, x);

describe('real Keras 2 models', () => {
  for (const name of [
    'dl4j_causal_conv1d_k2_d2',
    'dl4j_conv1d_k2_s1_d2_same',
    'dl4j_conv1d_k3_s2_d1_valid',
  ]) {
    it(`${name}: Conv1D (Keras 2.3.1) reproduces the saved predictions`, async () => {
      const { layers, x, y } = await loadKeras2(`${name}.json`);
      expect(layers.map((l) => (l.constructor as { className?: string }).className)).toEqual([
        'Conv1D',
      ]);
      expect(run(layers, x)).toBeAllclose(y, { rtol: 1e-5, atol: 1e-5 });
    });
  }

  it('dl4j_cnn_batch_norm: Conv2D -> BatchNormalization -> relu -> Conv2D -> Flatten -> Dense (Keras 2.1.3)', async () => {
    const { layers, x, y } = await loadKeras2('dl4j_cnn_batch_norm.json');
    const names = layers.map((l) => (l.constructor as { className?: string }).className);
    expect(names).toEqual([
      'Conv2D',
      'BatchNormalization',
      'Activation',
      'Conv2D',
      'Flatten',
      'Dense',
    ]);
    expect(run(layers, x)).toBeAllclose(y, { rtol: 1e-4, atol: 1e-5 });
  });

  it('dl4j_dense_leakyrelu: LeakyReLU with the Keras 2 `alpha` key', async () => {
    const { layers, x, y } = await loadKeras2('dl4j_dense_leakyrelu.json');
    expect((layers[1] as unknown as { negativeSlope: number }).negativeSlope).toBe(0.5);
    expect(run(layers, x)).toBeAllclose(y, { rtol: 1e-5, atol: 1e-5 });
  });
});
