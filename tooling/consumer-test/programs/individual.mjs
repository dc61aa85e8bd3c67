// A user program that installs the @keras-ts/* packages one by one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import { Model } from '@keras-ts/engine';
import { Dense, Input } from '@keras-ts/layers';
import { loadModel, saveModel } from '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';

await ensureBackend();
const input = Input({ shape: [4], name: 'features' });
const hidden = new Dense({ units: 8, activation: 'relu' }).apply(input);
const output = new Dense({ units: 1, name: 'out' }).apply(hidden);
const model = new Model({ inputs: input, outputs: output });
model.compile({ optimizer: 'adam', loss: 'mse' });
const x = tf.randomNormal([64, 4], 0, 1, 'float32', 3);
const y = tf.sum(x, 1, true);
const history = await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0 });
const losses = history.history.loss;
if (!(losses[losses.length - 1] < losses[0])) throw new Error(`loss did not decrease: ${losses}`);
const file = path.join(mkdtempSync(path.join(tmpdir(), 'consumer-')), 'model.keras');
await saveModel(model, file);
const reloaded = await loadModel(file);
const a = await model.predict(x);
const b = await reloaded.predict(x);
const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
if (diff > 1e-6) throw new Error(`reloaded predictions differ by ${diff}`);
console.log(
  `individual packages: trained (loss ${losses[0].toFixed(3)} -> ${losses.at(-1).toFixed(3)}), saved, reloaded; max diff ${diff}`,
);
