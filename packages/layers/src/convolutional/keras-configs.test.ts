/**
 * Config keys and defaults pinned to Keras 3: each conv/pool/normalization layer of the Keras 3
 * fixtures is (1) deserialized from Keras's config and must write it back unchanged, and (2) built
 * from only the arguments the fixture script passed, so every other key must be Keras's default.
 */

import { fileURLToPath } from 'node:url';
import { ensureBackend } from '@keras-ts/backend';
import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import type { Layer } from '../engine/layer.js';
import type { Config } from '../engine/types.js';
import { BatchNormalization } from '../normalization/batch-normalization.js';
import { LayerNormalization } from '../normalization/layer-normalization.js';
import { GlobalAveragePooling1D } from '../pooling/global-average-pooling1d.js';
import { GlobalAveragePooling2D } from '../pooling/global-average-pooling2d.js';
import { MaxPooling2D } from '../pooling/max-pooling2d.js';
import { deserializeKerasObject } from '../serialization/registry.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { SeparableConv2D } from './separable-conv2d.js';

beforeAll(() => ensureBackend());

const fixtures = fileURLToPath(new URL('../../../../../shared/fixtures/keras3/', import.meta.url));

interface LayerEntry {
  class_name: string;
  config: Config;
  module: string;
  registered_name: null;
}

/** The layer entries of the model config Keras wrote (the legacy .h5 carries the same JSON). */
async function kerasLayers(name: string): Promise<Map<string, LayerEntry>> {
  await h5wasm.ready;
  const file = new h5wasm.File(`${fixtures}${name}/model.h5`, 'r');
  const model = JSON.parse(String(file.attrs.model_config?.value)) as {
    config: { layers: LayerEntry[] };
  };
  file.close();
  return new Map(model.config.layers.map((l) => [l.config.name as string, l]));
}

/** Keras writes `shared_object_id` into repeated dtype policies; it is not part of the config. */
function withoutSharedIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharedIds);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== 'shared_object_id')
        .map(([k, v]) => [k, withoutSharedIds(v)]),
    );
  }
  return value;
}

const cases: [string, string, () => Layer][] = [
  [
    'b_cnn',
    'conv_same_s2',
    () =>
      new Conv2D({
        name: 'conv_same_s2',
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      }),
  ],
  [
    'b_cnn',
    'conv_valid_s2',
    () =>
      new Conv2D({
        name: 'conv_valid_s2',
        filters: 6,
        kernelSize: 3,
        strides: 2,
        activation: 'relu',
      }),
  ],
  ['b_cnn', 'maxpool', () => new MaxPooling2D({ name: 'maxpool', poolSize: 2, strides: 1 })],
  [
    'h1_conv_extras',
    'deconv_same_s2',
    () =>
      new Conv2DTranspose({
        name: 'deconv_same_s2',
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      }),
  ],
  [
    'h1_conv_extras',
    'deconv_valid',
    () => new Conv2DTranspose({ name: 'deconv_valid', filters: 3, kernelSize: 2 }),
  ],
  [
    'h1_conv_extras',
    'depthwise',
    () =>
      new DepthwiseConv2D({
        name: 'depthwise',
        kernelSize: 3,
        depthMultiplier: 2,
        activation: 'relu',
      }),
  ],
  [
    'h1_conv_extras',
    'separable_same_s2',
    () =>
      new SeparableConv2D({
        name: 'separable_same_s2',
        filters: 5,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
      }),
  ],
  ['h1_conv_extras', 'gap', () => new GlobalAveragePooling2D({ name: 'gap' })],
  [
    'e_batchnorm_dropout',
    'bn',
    () => new BatchNormalization({ name: 'bn', epsilon: 1e-3, momentum: 0.99 }),
  ],
  ['h2_layernorm_mha', 'ln', () => new LayerNormalization({ name: 'ln', epsilon: 1e-3 })],
  ['h2_layernorm_mha', 'gap1d', () => new GlobalAveragePooling1D({ name: 'gap1d' })],
];

describe('Keras 3 layer configs', () => {
  for (const [fixture, name, make] of cases) {
    it(`${fixture}/${name}: round trip and defaults equal Keras's config`, async () => {
      const entry = (await kerasLayers(fixture)).get(name);
      expect(entry).toBeDefined();
      const keras = withoutSharedIds((entry as LayerEntry).config);
      const loaded = deserializeKerasObject(
        {
          module: entry?.module ?? 'keras.layers',
          class_name: entry?.class_name ?? '',
          config: entry?.config ?? {},
          registered_name: null,
        },
        { kind: 'layers' },
      ) as Layer;
      expect((loaded.constructor as { className?: string }).className).toBe(entry?.class_name);
      expect(loaded.getConfig()).toEqual(keras);
      expect(make().getConfig()).toEqual(keras);
    });
  }
});
