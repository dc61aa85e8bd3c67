import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as keras from './index.js';

describe('import * as keras from "keras-ts"', () => {
  beforeAll(() => keras.backend.ensureBackend());

  it('exposes the Keras namespaces', () => {
    expect(typeof keras.layers.Dense).toBe('function');
    expect(typeof keras.layers.Conv2D).toBe('function');
    expect(typeof keras.layers.LSTM).toBe('function');
    expect(typeof keras.Input).toBe('function');
    expect(typeof keras.Model).toBe('function');
    expect(typeof keras.Sequential).toBe('function');
    expect(typeof keras.optimizers.Adam).toBe('function');
    expect(typeof keras.losses.get).toBe('function');
    expect(typeof keras.metrics.get).toBe('function');
    expect(typeof keras.callbacks.EarlyStopping).toBe('function');
    expect(typeof keras.backend.ConfigProto).toBe('function');
    expect(typeof keras.utils.Sequence).toBe('function');
    expect(typeof keras.utils.multiGpuModel).toBe('function');
    expect(typeof keras.utils.toCategorical).toBe('function');
    expect(typeof keras.utils.plotModel).toBe('function');
    expect(typeof keras.models.loadModel).toBe('function');
    expect(typeof keras.preprocessing.image.ImageDataGenerator).toBe('function');
    expect(typeof keras.saving.saveModel).toBe('function');
  });

  it('makes model.save and loadWeights work: train, save .keras, reload, same predictions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keras-ts-umbrella-'));
    try {
      const model = new keras.Sequential([
        new keras.layers.Dense({ units: 4, activation: 'relu', inputShape: [3] }),
        new keras.layers.Dense({ units: 2, activation: 'softmax' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
      const x = tf.randomNormal([16, 3], 0, 1, 'float32', 1);
      const y = keras.utils.toCategorical(
        Array.from({ length: 16 }, (_, i) => i % 2),
        2,
      );
      await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
      const file = path.join(dir, 'm.keras');
      await model.save(file);
      const loaded = await keras.models.loadModel(file);
      const a = (await model.predict(x)) as tf.Tensor;
      const b = (await loaded.predict(x)) as tf.Tensor;
      expect(b).toBeAllclose(a, { rtol: 1e-6, atol: 1e-7 });
      const fresh = new keras.Sequential([
        new keras.layers.Dense({ units: 4, activation: 'relu', inputShape: [3] }),
        new keras.layers.Dense({ units: 2, activation: 'softmax' }),
      ]);
      await model.saveWeights(path.join(dir, 'w.weights.h5'));
      await fresh.loadWeights(path.join(dir, 'w.weights.h5'));
      const c = (await fresh.predict(x)) as tf.Tensor;
      expect(c).toBeAllclose(a, { rtol: 1e-6, atol: 1e-7 });
      tf.dispose([x, y, a, b, c]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
