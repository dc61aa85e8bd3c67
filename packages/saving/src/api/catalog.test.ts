import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import * as engine from '@keras-ts/engine';
import * as layers from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readH5 } from '../h5/h5-read.js';
import { getNode } from '../h5/tree.js';
import { readZip } from '../io/zip.js';
import { loadModel } from './load-model.js';
import { saveModel } from './save-model.js';

beforeAll(() => ensureBackend());

type Runnable = { predictOnBatch(x: tf.Tensor): tf.Tensor; weights: { value: tf.Variable }[] };

describe('wrappers and recurrent layers round-trip', () => {
  it('Embedding, Bidirectional(LSTM), TimeDistributed(Dense), GRU, Conv1D in .keras, .h5 and model.json', async () => {
    const model = new engine.Sequential([
      layers.Input({ shape: [6], dtype: 'int32' }),
      new layers.Embedding({ inputDim: 20, outputDim: 4 }),
      new layers.Bidirectional({ layer: new layers.LSTM({ units: 3, returnSequences: true }) }),
      new layers.TimeDistributed({ layer: new layers.Dense({ units: 5, activation: 'relu' }) }),
      new layers.Conv1D({ filters: 4, kernelSize: 2 }),
      new layers.GRU({ units: 2 }),
    ] as never) as unknown as Runnable;
    const x = tf.tensor(
      [
        [1, 2, 3, 4, 5, 6],
        [19, 0, 7, 7, 3, 1],
      ],
      [2, 6],
      'int32',
    );
    const expected = model.predictOnBatch(x);
    const dir = mkdtempSync(join(tmpdir(), 'kts-catalog-'));
    for (const file of ['m.keras', 'm.h5', 'model.json']) {
      await saveModel(model, join(dir, file));
      const back = (await loadModel(join(dir, file))) as unknown as Runnable;
      expect(back.predictOnBatch(x)).toBeAllclose(expected, { atol: 1e-6, rtol: 0 });
    }
    // Keras 3's paths: RNN weights under the cell, Bidirectional under forward_/backward_layer.
    const weights = readZip(readFileSync(join(dir, 'm.keras')), { source: 'm.keras' }).get(
      'model.weights.h5',
    );
    const tree = await readH5(weights as Uint8Array, { source: 'm.keras' });
    for (const path of [
      'layers/bidirectional/forward_layer/cell/vars/2',
      'layers/bidirectional/backward_layer/cell/vars/2',
      'layers/time_distributed/layer/vars/1',
      'layers/gru/cell/vars/2',
      'layers/conv1d/vars/1',
      'layers/embedding/vars/0',
    ]) {
      expect(getNode(tree, path)?.type, path).toBe('dataset');
    }
  });
});
