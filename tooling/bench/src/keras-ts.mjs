// keras-ts training one of the benchmark's models with model.fit(x, y, {batchSize, epochs,
// verbose: 0}) over synthetic data, on the wasm backend (or the one named): several short
// epochs, samples/s of the steady ones, numTensors after each epoch, peak RSS.
// Prints one JSON line. Usage: node keras-ts.mjs <model> [seconds] [backend]
import { ensureBackend } from '@keras-ts/backend';
import { optimizers } from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, lossFor, syntheticData } from './keras-models.mjs';
import { MODELS } from './shapes.mjs';
import { batchesForBudget, countHostReads, timedFit } from './timed-fit.mjs';

const [model, seconds = '6', backend = 'wasm'] = process.argv.slice(2);
const budgetMs = Number(seconds) * 1000;

const result = { runner: 'keras-ts', model, backend };
try {
  tf.enableProdMode();
  await ensureBackend(backend);
  result.backend = tf.getBackend();
  const spec = MODELS[model];
  const m = buildModel(model);
  m.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: lossFor(model) });
  const fitOpts = { batchSize: spec.batch, verbose: 0 };

  // Calibration: a warm-up fit, then a timed one of 3 batches sizes the real epochs.
  const probe = syntheticData(model, 3);
  await m.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const t0 = performance.now();
  await m.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const batches = batchesForBudget({ perBatchMs: (performance.now() - t0) / 3, budgetMs });
  tf.dispose([probe.x, probe.y]);

  const data = syntheticData(model, batches);
  const timed = await timedFit({
    fitFn: (callbacks) => m.fit(data.x, data.y, { ...fitOpts, epochs: 1000, callbacks }),
    samplesPerEpoch: data.n,
    budgetMs,
    reads: countHostReads(),
  });
  Object.assign(result, { batch: spec.batch, batchesPerEpoch: batches, ...timed });

  // With a progress bar, logs are read when the bar redraws (at most every 0.1 s), not per batch.
  const reads = countHostReads();
  const write = process.stdout.write;
  process.stdout.write = () => true;
  const t1 = performance.now();
  try {
    await m.fit(data.x, data.y, { ...fitOpts, epochs: 2, verbose: 1 });
  } finally {
    process.stdout.write = write;
  }
  result.progbar = {
    seconds: (performance.now() - t1) / 1000,
    batches: 2 * batches,
    hostReads: reads.reads,
  };
} catch (err) {
  result.error = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 160);
}
result.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(result));
