// keras-ts features on one backend (webgpu on the GPU machine) beyond the timed runs: an
// Embedding + LSTM + GRU text model trained with ReduceLROnPlateau, LearningRateScheduler and a
// progress bar; then the trained model saved as .keras, .h5, .weights.h5 and TF.js, each file
// loaded back and compared with the trained weights. Prints one JSON line per check.
//   node features.mjs [backend=webgpu]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, setSession } from '@keras-ts/backend';
import { LearningRateScheduler, optimizers, ReduceLROnPlateau, Sequential } from '@keras-ts/engine';
import { Bidirectional, Dense, Embedding, GRU, Input, LSTM } from '@keras-ts/layers';
import { loadModel, loadWeights } from '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';
import { prng } from './models.mjs';

const [backend = 'webgpu'] = process.argv.slice(2);
const report = (r) => console.log(JSON.stringify({ backend, ...r }));

function textModel() {
  return new Sequential([
    Input({ shape: [12], dtype: 'int32' }),
    new Embedding({ inputDim: 50, outputDim: 8 }),
    new Bidirectional({ layer: new LSTM({ units: 8, returnSequences: true }) }),
    new GRU({ units: 8 }),
    new Dense({ units: 1, activation: 'sigmoid' }),
  ]);
}

async function check(name, fn) {
  const t0 = performance.now();
  try {
    report({ check: name, ok: true, ...(await fn()), seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    report({ check: name, ok: false, error: String(err?.message ?? err).split('\n')[0] });
  }
}

try {
  await setSession(
    new Session({
      backend,
      config: { allowSoftPlacement: false },
      importModule: (specifier) => import(specifier),
    }),
  );
  const rand = prng(3);
  const n = 256;
  const ids = Int32Array.from({ length: n * 12 }, () => Math.floor(rand() * 50));
  // Label: whether the sequence holds more ids below 25 than above.
  const labels = Float32Array.from({ length: n }, (_, s) => {
    let low = 0;
    for (let t = 0; t < 12; t++) if ((ids[s * 12 + t] ?? 0) < 25) low += 1;
    return low > 6 ? 1 : 0;
  });
  const x = tf.tensor(ids, [n, 12], 'int32');
  const y = tf.tensor(labels, [n, 1]);
  const model = textModel();
  await check(
    'text model fit (Embedding, Bidirectional LSTM, GRU, callbacks, progress bar)',
    async () => {
      model.compile({
        optimizer: new optimizers.Adam({ learningRate: 0.01 }),
        loss: 'binary_crossentropy',
        metrics: ['accuracy'],
      });
      const h = await model.fit(x, y, {
        epochs: 4,
        batchSize: 32,
        verbose: 1,
        validationSplit: 0.25,
        callbacks: [
          new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5)),
          new ReduceLROnPlateau({ monitor: 'val_loss', patience: 1, factor: 0.5 }),
        ],
      });
      return { history: h.history, numTensors: tf.memory().numTensors };
    },
  );
  await check('save and load back (.keras, .h5, .weights.h5, TF.js)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-gpu-save-'));
    const expected = await Promise.all(model.getWeights().map((w) => w.data()));
    const diffs = {};
    for (const file of ['m.keras', 'm.h5', 'm.json']) {
      const path = join(dir, file);
      await model.save(path);
      const loaded = await loadModel(path);
      const got = await Promise.all(loaded.getWeights().map((w) => w.data()));
      diffs[file] = Math.max(
        ...got.map((g, k) => Math.max(...Array.from(g, (v, i) => Math.abs(v - expected[k][i])))),
      );
    }
    await model.saveWeights(join(dir, 'w.weights.h5'));
    const fresh = textModel();
    await loadWeights(fresh, join(dir, 'w.weights.h5'));
    const got = await Promise.all(fresh.getWeights().map((w) => w.data()));
    diffs['w.weights.h5'] = Math.max(
      ...got.map((g, k) => Math.max(...Array.from(g, (v, i) => Math.abs(v - expected[k][i])))),
    );
    return { maxAbsDiff: diffs };
  });
} catch (err) {
  report({ check: 'session', ok: false, error: String(err?.message ?? err).split('\n')[0] });
}
process.exit(0);
