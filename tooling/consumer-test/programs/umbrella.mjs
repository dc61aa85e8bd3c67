// A user program that installs only keras-ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

await keras.backend.ensureBackend();
const model = new keras.Sequential([
  new keras.layers.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
  new keras.layers.Flatten(),
  new keras.layers.Dense({ units: 3, activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
const x = tf.randomUniform([32, 8, 8, 1], 0, 1, 'float32', 5);
const y = keras.utils.toCategorical(
  Array.from({ length: 32 }, (_, i) => i % 3),
  3,
);
const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
const dir = mkdtempSync(path.join(tmpdir(), 'consumer-'));
await model.save(path.join(dir, 'model.keras'));
await model.save(path.join(dir, 'model.h5'));
for (const f of ['model.keras', 'model.h5']) {
  const reloaded = await keras.models.loadModel(path.join(dir, f));
  const a = await model.predict(x, { verbose: 0 });
  const b = await reloaded.predict(x, { verbose: 0 });
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
  if (diff > 1e-6) throw new Error(`${f}: reloaded predictions differ by ${diff}`);
}
console.log(
  `keras-ts umbrella: trained 3 epochs (loss ${history.history.loss.map((l) => l.toFixed(3)).join(' -> ')}), saved and reloaded .keras and .h5`,
);
