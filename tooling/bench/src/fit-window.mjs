// One plain keras-ts fit of the benchmark CNN at a given batch, timed over a wall-clock window
// that several such processes share (started together by ceiling.mjs). Prints one JSON line.
// Usage: node fit-window.mjs <batch> <startAtEpochMs> <seconds>
import { ensureBackend } from '@keras-ts/backend';
import { optimizers } from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, lossFor, syntheticData } from './keras-models.mjs';

const [batchArg, startArg, secondsArg] = process.argv.slice(2);
const batch = Number(batchArg);
const startAt = Number(startArg);
const endAt = startAt + Number(secondsArg) * 1000;

tf.enableProdMode();
await ensureBackend('wasm');
const model = buildModel('cnn');
model.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: lossFor('cnn') });
// 640 samples per fit call: whole batches at 16, 32, 64 and 128.
const data = syntheticData('cnn', 10);
const fitOnce = () => model.fit(data.x, data.y, { batchSize: batch, epochs: 1, verbose: 0 });
await fitOnce();
while (Date.now() < startAt) await new Promise((r) => setTimeout(r, 2));
let samples = 0;
let last = performance.now();
const first = last;
// Counts the fits that finish inside the window; the clock stops at the last one that did.
while (Date.now() < endAt) {
  await fitOnce();
  samples += data.n;
  last = performance.now();
}
console.log(JSON.stringify({ batch, samples, seconds: (last - first) / 1000 }));
