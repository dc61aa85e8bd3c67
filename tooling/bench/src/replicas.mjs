// The CNN trained data-parallel over CPU replicas (worker threads, one wasm backend each) with
// multiGpuModel(model, {devices: ['/cpu:0', ...]}), against the plain model.fit at the same
// global batch (replicas = 1). Prints one JSON line.
// Usage: node replicas.mjs <replicas> [seconds] [globalBatch (default: the CNN's 64)]
import { ensureBackend } from '@keras-ts/backend';
import { optimizers } from '@keras-ts/engine';
import { multiGpuModel } from '@keras-ts/multi-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, lossFor, syntheticData } from './keras-models.mjs';
import { MODELS } from './shapes.mjs';
import { batchesForBudget, timedFit } from './timed-fit.mjs';

const MODEL = 'cnn';
const [replicasArg = '2', seconds = '6', batchArg] = process.argv.slice(2);
const replicas = Number(replicasArg);
const budgetMs = Number(seconds) * 1000;

const result = { runner: 'keras-ts', model: MODEL, replicas, backend: 'wasm' };
let parallel = null;
try {
  if (!(Number.isInteger(replicas) && replicas >= 1)) {
    throw new Error(`Expected a positive number of replicas. Received: replicas=${replicasArg}`);
  }
  tf.enableProdMode();
  await ensureBackend('wasm');
  const spec = MODELS[MODEL];
  const template = buildModel(MODEL);
  const compileArgs = {
    optimizer: new optimizers.Adam({ learningRate: 1e-3 }),
    loss: lossFor(MODEL),
  };
  let trainer = template;
  if (replicas > 1) {
    const devices = Array.from({ length: replicas }, (_, i) => `/cpu:${i}`);
    parallel = await multiGpuModel(template, { devices });
    trainer = parallel;
  }
  trainer.compile(compileArgs);
  const batch = batchArg ? Number(batchArg) : spec.batch;
  if (!(Number.isInteger(batch) && batch >= replicas)) {
    throw new Error(
      `Expected a global batch of at least one row per replica. Received: batch=${batchArg}`,
    );
  }
  const fitOpts = { batchSize: batch, verbose: 0, shuffle: true };

  const probe = syntheticData(MODEL, 3, batch);
  await trainer.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const t0 = performance.now();
  await trainer.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const batches = batchesForBudget({ perBatchMs: (performance.now() - t0) / 3, budgetMs });
  tf.dispose([probe.x, probe.y]);

  const data = syntheticData(MODEL, batches, batch);
  const timed = await timedFit({
    fitFn: (callbacks) => trainer.fit(data.x, data.y, { ...fitOpts, epochs: 1000, callbacks }),
    samplesPerEpoch: data.n,
    budgetMs,
  });
  Object.assign(result, { batch, batchesPerEpoch: batches, ...timed });
} catch (err) {
  result.error = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 160);
} finally {
  await parallel?.close();
}
result.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(result));
