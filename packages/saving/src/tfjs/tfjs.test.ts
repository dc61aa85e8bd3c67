import { readFileSync } from 'node:fs';
import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../config/json-types.js';
import { Dense, Functional, fillDistinct, LSTM } from '../test-utils/fake-model.js';
import { loadTfjsWeights, readTfjsModel, tfjsLayersArtifacts } from './tfjs-model.js';
import { decodeWeights, halfToFloat } from './weights-codec.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures/real/tfjs_layers`;

beforeAll(() => ensureBackend());

describe('TF.js weights codec', () => {
  it('decodes uint8 / uint16 quantization (q * scale + min) and float16', () => {
    const buf = new Uint8Array(2 + 4 + 4);
    const view = new DataView(buf.buffer);
    buf[0] = 0;
    buf[1] = 255;
    view.setUint16(2, 0, true);
    view.setUint16(4, 1000, true);
    view.setUint16(6, 0x3c00, true); // 1.0
    view.setUint16(8, 0xc000, true); // -2.0
    const out = decodeWeights(
      buf,
      [
        {
          name: 'a',
          shape: [2],
          dtype: 'float32',
          quantization: { dtype: 'uint8', scale: 0.5, min: -1 },
        },
        {
          name: 'b',
          shape: [2],
          dtype: 'int32',
          quantization: { dtype: 'uint16', scale: 0.01, min: 3 },
        },
        { name: 'c', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
      ],
      'q.json',
    );
    expect(Array.from(out[0]?.data ?? [])).toEqual([-1, 126.5]);
    expect(Array.from(out[1]?.data ?? [])).toEqual([3, 13]);
    expect(Array.from(out[2]?.data ?? [])).toEqual([1, -2]);
    expect(halfToFloat(0x3555)).toBeCloseTo(0.33325, 5);
    expect(halfToFloat(0x0001)).toBeCloseTo(5.96e-8, 10);
  });

  it('names the weight and the byte counts when a shard is short', () => {
    expect(() =>
      decodeWeights(
        new Uint8Array(8),
        [{ name: 'dense/kernel', shape: [3], dtype: 'float32' }],
        'm.json',
      ),
    ).toThrow(/"dense\/kernel" of "m.json": the weight files hold 8 bytes, expected at least 12/);
  });
});

describe('TF.js model.json', () => {
  it('reads the tfjs-layers e2e model (Embedding + GRU) and its weights', () => {
    const path = `${FIX}/tfjs_e2e_layers_model_embedding_gru/model.json`;
    const file = readTfjsModel(JSON.parse(readFileSync(path, 'utf8')), { source: path });
    expect(file.kerasVersion).toBe('tfjs-layers 0.0.0');
    expect(file.weights.map((w) => [w.name, w.shape])).toEqual([
      ['embedding_Embedding2/embeddings', [100, 20]],
      ['gru_GRU1/kernel', [20, 12]],
      ['gru_GRU1/recurrent_kernel', [4, 12]],
      ['gru_GRU1/bias', [12]],
    ]);
    // The last float of weights.bin is the GRU bias' last value.
    const bin = readFileSync(`${FIX}/tfjs_e2e_layers_model_embedding_gru/weights.bin`);
    const last = new DataView(bin.buffer, bin.byteOffset).getFloat32(bin.length - 4, true);
    expect(file.weights[3]?.data[11]).toBe(last);
  });

  it('refuses weight paths that leave the model directory', () => {
    const json = {
      modelTopology: { class_name: 'Sequential', config: [] },
      weightsManifest: [{ paths: ['../../etc/passwd'], weights: [] }],
    };
    expect(() => readTfjsModel(json as Json, { source: '/tmp/m/model.json' })).toThrow(
      /"\.\.\/\.\.\/etc\/passwd" leaves/,
    );
  });

  it('writes the tfjs-layers flavour and reads it back, LSTM cell scope included', () => {
    const make = () =>
      new Functional('m', [
        new LSTM('lstm', 3, 2),
        new Dense('dense', { kernel: [2, 1], bias: [1] }),
      ]);
    const a = make();
    fillDistinct(a.weights);
    const config = {
      module: 'keras',
      class_name: 'Functional',
      config: { name: 'm', layers: [] },
      registered_name: null,
    };
    const { modelJson, weightsBin } = tfjsLayersArtifacts(a, config, {
      generatedBy: 'test',
      kerasVersion: 'keras-ts',
    });
    expect((modelJson.modelTopology as { class_name: string }).class_name).toBe('Model');
    const back = readTfjsModel(modelJson, {
      source: 'mem/model.json',
      readShard: () => weightsBin,
    });
    const b = make();
    // tfjs-layers names RNN weights without the cell scope: accept both spellings.
    const renamed = back.weights.map((w) => ({
      ...w,
      name: w.name.replace('lstm_cell/', 'lstm/'),
    }));
    loadTfjsWeights(b, renamed, { source: 'mem' });
    a.weights.forEach((w, i) => {
      expect(b.weights[i]?.value).toBeAllclose(w.value, { atol: 0, rtol: 0 });
    });
  });
});
