import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readZip } from '../io/zip.js';
import { kerasMajor, normalizeModelConfig, toKeras2Config } from './dialect.js';
import type { Json, JsonObject } from './json-types.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures`;

function cfg(layer: JsonObject | undefined): JsonObject {
  return (layer?.config ?? {}) as JsonObject;
}

describe('kerasMajor', () => {
  it('reads the major version of Keras, tf.keras and tfjs-layers files', () => {
    expect(kerasMajor('2.2.4-tf')).toBe(2);
    expect(kerasMajor('3.15.1')).toBe(3);
    expect(kerasMajor('1.2.2')).toBe(1);
    expect(kerasMajor('tfjs-layers 4.22.0')).toBe(2);
    expect(kerasMajor(undefined)).toBeUndefined();
  });
});

describe('normalizeModelConfig', () => {
  it('turns a Keras <= 2.1 list-style Sequential config into {name, layers} with an InputLayer', () => {
    const json = JSON.parse(
      readFileSync(
        `${FIX}/real/tfjs_layers/tfjs_rn_bundle_model_legacy_list_config/bundle_model_test.json`,
        'utf8',
      ),
    );
    const topology = json.modelTopology.model_config ?? json.modelTopology;
    const out = normalizeModelConfig(topology, { source: 'bundle' });
    const layers = (out.config as JsonObject).layers as JsonObject[];
    expect(out.class_name).toBe('Sequential');
    expect(layers[0]?.class_name).toBe('InputLayer');
    expect(cfg(layers[0]).batch_shape).toEqual(
      (topology.config[0].config as JsonObject).batch_input_shape,
    );
    expect('batch_input_shape' in cfg(layers[1])).toBe(false);
    expect(layers.length).toBe(topology.config.length + 1);
  });

  it('renames Model to Functional and batch_input_shape to batch_shape on InputLayers', () => {
    const out = normalizeModelConfig(
      {
        class_name: 'Model',
        config: {
          name: 'm',
          layers: [
            {
              class_name: 'InputLayer',
              name: 'in',
              config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'in' },
            },
          ],
          input_layers: [['in', 0, 0]],
          output_layers: [['in', 0, 0]],
        },
      },
      { source: 'x' },
    );
    expect(out.class_name).toBe('Functional');
    const layer = ((out.config as JsonObject).layers as JsonObject[])[0] as JsonObject;
    expect(layer.config).toEqual({ batch_shape: [null, 3], dtype: 'float32', name: 'in' });
  });

  it('names the source when the config is not a serialized object', () => {
    expect(() => normalizeModelConfig([1, 2] as Json, { source: 'bad.h5' })).toThrow(
      /"bad.h5".*Received: \[1,2\]/,
    );
  });
});

describe('toKeras2Config', () => {
  it('rewrites a Keras 3 functional config written by Keras 3.15 into the Keras 2 dialect', () => {
    const entries = readZip(readFileSync(`${FIX}/keras3/g_shared_layer/model.keras`), {
      source: 'g',
    });
    const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
    const k2 = toKeras2Config(config) as JsonObject;
    const text = JSON.stringify(k2);
    expect(text).not.toContain('"module"');
    expect(text).not.toContain('registered_name');
    expect(text).not.toContain('__keras_tensor__');
    expect(text).not.toContain('DTypePolicy');
    expect(k2.class_name).toBe('Model');
    const layers = (k2.config as JsonObject).layers as JsonObject[];
    const byName = new Map(layers.map((l) => [l.name, l]));
    expect(cfg(byName.get('input_a')).batch_input_shape).toEqual([null, 5]);
    // The shared Dense is called twice: node 0 on input_a, node 1 on input_b.
    expect(byName.get('shared_dense')?.inbound_nodes).toEqual([
      [['input_a', 0, 0, {}]],
      [['input_b', 0, 0, {}]],
    ]);
    // Concatenate takes a list: one node with two inbound tensors, node indices preserved.
    expect(byName.get('concat')?.inbound_nodes).toEqual([
      [
        ['shared_dense', 0, 0, {}],
        ['shared_dense', 1, 0, {}],
      ],
    ]);
    expect(cfg(byName.get('shared_dense')).dtype).toBe('float32');
  });
});
