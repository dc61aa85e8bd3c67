import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import { Model, optimizers } from '@keras-ts/engine';
import { Dense, Input, type SymbolicTensor } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import '../index.js';
import { loadModel } from './load-model.js';
import { saveModel } from './save-model.js';
import { loadWeights, saveWeights } from './weights-api.js';

// A model trained on WebGPU in Node must still save, and that backend has no synchronous read:
// here every synchronous read throws while the files are written.
function forbidSyncReads() {
  const spies = (['dataSync', 'arraySync', 'bufferSync'] as const).map((name) =>
    vi.spyOn(tf.Tensor.prototype, name).mockImplementation(() => {
      throw new Error(`synchronous ${name} while saving`);
    }),
  );
  return () => {
    for (const s of spies) s.mockRestore();
  };
}

function trainedModel(): Model {
  const x = Input({ shape: [3] });
  const h = new Dense({ units: 4, activation: 'relu' }).apply(x) as SymbolicTensor;
  const model = new Model({
    inputs: x,
    outputs: new Dense({ units: 2 }).apply(h) as SymbolicTensor,
  });
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: 'mse' });
  return model;
}

describe('saving reads the weights with awaited downloads only', () => {
  let restore: (() => void) | null = null;
  beforeAll(() => ensureBackend());
  afterEach(() => {
    restore?.();
    restore = null;
  });

  it('writes .keras, .h5, .weights.h5 and the TF.js format that load back to the same weights', async () => {
    const model = trainedModel();
    const x = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 12)), [4, 3]));
    const y = tf.tidy(() => tf.reshape(tf.cos(tf.range(0, 8)), [4, 2]));
    await model.trainOnBatch(x, y);
    const dir = mkdtempSync(join(tmpdir(), 'kts-async-save-'));
    const files = ['m.keras', 'm.h5', 'm.json'].map((f) => join(dir, f));
    restore = forbidSyncReads();
    for (const f of files) await saveModel(model, f);
    await saveWeights(model, join(dir, 'w.weights.h5'));
    restore();
    restore = null;

    const expected = model.getWeights();
    for (const f of files) {
      const loaded = (await loadModel(f)) as unknown as Model;
      const got = loaded.getWeights();
      for (const [i, w] of expected.entries()) expect(got[i]).toBeAllclose(w, { rtol: 0, atol: 0 });
      tf.dispose(got);
    }
    const fresh = trainedModel();
    await loadWeights(fresh, join(dir, 'w.weights.h5'));
    const got = fresh.getWeights();
    for (const [i, w] of expected.entries()) expect(got[i]).toBeAllclose(w, { rtol: 0, atol: 0 });
    tf.dispose([x, y, ...expected, ...got]);
  });
});
