// tooling/bench/src/replicas.mjs with a global-batch argument: the CNN data-parallel over CPU
// replicas (worker threads, one wasm backend each) with multiGpuModel(model, {devices:
// ['/cpu:0', ...]}), or the plain model.fit at the same global batch (replicas = 1).
// Prints one JSON line. Usage: node replicas.mjs <replicas> [seconds] [globalBatch]
import { ensureBackend } from '@keras-ts/backend';
import { optimizers } from '@keras-ts/engine';
import { multiGpuModel } from '@keras-ts/multi-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, lossFor } from '../../bench/src/keras-models.mjs';
import { timedFit } from '../../bench/src/timed-fit.mjs';
import { batchesForBudget, modelSpec } from './models.mjs';

const [replicasArg = '2', seconds = '6', batchArg = '256'] = process.argv.slice(2);
const replicas = Number(replicasArg);
const budgetMs = Number(seconds) * 1000;
const spec = modelSpec('cnn', Number(batchArg));
const result = { runner: 'keras-ts', model: 'cnn', replicas, backend: 'wasm', batch: spec.batch };

function syntheticData(batches) {
  const n = batches * spec.batch;
  const x = tf.randomUniform([n, ...spec.input], 0, 1, 'float32', 1);
  const y = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([n], 0, spec.classes, 'int32', 3), spec.classes, 1, 0, 'float32'),
  );
  return { x, y, n };
}

let parallel = null;
try {
  if (!(Number.isInteger(replicas) && replicas >= 1)) {
    throw new Error(`Expected a positive number of replicas. Received: replicas=${replicasArg}`);
  }
  tf.enableProdMode();
  await ensureBackend('wasm');
  const template = buildModel('cnn');
  let trainer = template;
  if (replicas > 1) {
    const devices = Array.from({ length: replicas }, (_, i) => `/cpu:${i}`);
    parallel = await multiGpuModel(template, { devices });
    trainer = parallel;
  }
  trainer.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: lossFor('cnn') });
  const fitOpts = { batchSize: spec.batch, verbose: 0, shuffle: true };

  const probe = syntheticData(2);
  await trainer.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const t0 = performance.now();
  await trainer.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const batches = batchesForBudget({ perBatchMs: (performance.now() - t0) / 2, budgetMs });
  tf.dispose([probe.x, probe.y]);

  const data = syntheticData(batches);
  const timed = await timedFit({
    fitFn: (callbacks) => trainer.fit(data.x, data.y, { ...fitOpts, epochs: 1000, callbacks }),
    samplesPerEpoch: data.n,
    budgetMs,
  });
  delete timed.hostReadsPerEpoch;
  Object.assign(result, { batchesPerEpoch: batches, ...timed });
} catch (err) {
  result.error = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 300);
} finally {
  await parallel?.close();
}
result.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(result));
process.exit(0);
