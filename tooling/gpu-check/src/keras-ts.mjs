// keras-ts on one backend (webgpu on the GPU machine), in its own process. Prints one JSON line.
//   node keras-ts.mjs time <mlp|cnn> <backend> [seconds] [batch]
//     model.fit over synthetic data, short epochs until the time is up (tooling/bench timed-fit):
//     samples/s of the epochs after the first, tf.memory().numTensors after every epoch.
//   node keras-ts.mjs losses <mlp|cnn> <backend> [epochs] [batches]
//     the same seeded weights and data on every backend, `epochs` epochs of `batches` unshuffled
//     batches: the loss after each epoch and a fingerprint of the weight update.
// The backend is opened through a Session (soft placement off), which loads the `webgpu` package
// for navigator.gpu and @tensorflow/tfjs-backend-webgpu, both resolved from this package.
import { Session, setSession } from '@keras-ts/backend';
import { optimizers, Sequential } from '@keras-ts/engine';
import { Dense, Input } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel as buildBenchModel } from '../../bench/src/keras-models.mjs';
import { timedFit } from '../../bench/src/timed-fit.mjs';
import {
  batchesForBudget,
  modelSpec,
  prng,
  seededData,
  seededWeight,
  updateFingerprint,
} from './models.mjs';

const [mode = 'time', model = 'mlp', backend = 'webgpu', arg3, arg4] = process.argv.slice(2);
const result = { runner: 'keras-ts', mode, model, backend };

function buildModel(name) {
  if (name === 'cnn') return buildBenchModel('cnn');
  return new Sequential([
    Input({ shape: [784] }),
    new Dense({ units: 1024, activation: 'relu' }),
    new Dense({ units: 1024, activation: 'relu' }),
    new Dense({ units: 10, activation: 'softmax' }),
  ]);
}

async function openBackend(name) {
  const session = new Session({
    backend: name,
    config: { allowSoftPlacement: false },
    importModule: (specifier) => import(specifier),
    warn: (message) => console.error(message),
  });
  await setSession(session);
  result.backend = tf.getBackend();
  if (result.backend !== name) {
    throw new Error(`Asked for backend '${name}' but '${result.backend}' is active`);
  }
  const info = tf.backend().adapterInfo;
  if (info) result.adapter = { vendor: info.vendor, architecture: info.architecture };
}

function compiled(name) {
  const m = buildModel(name);
  m.compile({
    optimizer: new optimizers.Adam({ learningRate: 1e-3 }),
    loss: 'categorical_crossentropy',
  });
  return m;
}

function syntheticData(spec, batches) {
  const n = batches * spec.batch;
  const x = tf.randomUniform([n, ...spec.input], 0, 1, 'float32', 1);
  const y = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([n], 0, spec.classes, 'int32', 3), spec.classes, 1, 0, 'float32'),
  );
  return { x, y, n };
}

async function time(name, seconds, batch) {
  const spec = modelSpec(name, batch);
  const budgetMs = seconds * 1000;
  const m = compiled(name);
  const fitOpts = { batchSize: spec.batch, verbose: 0 };
  // Warm-up (kernel and shader compilation), then a timed fit of 3 batches sizes the epochs.
  const probe = syntheticData(spec, 3);
  const w0 = performance.now();
  await m.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  result.warmupSeconds = (performance.now() - w0) / 1000;
  const t0 = performance.now();
  await m.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const batches = batchesForBudget({ perBatchMs: (performance.now() - t0) / 3, budgetMs });
  tf.dispose([probe.x, probe.y]);
  const data = syntheticData(spec, batches);
  const timed = await timedFit({
    fitFn: (callbacks) => m.fit(data.x, data.y, { ...fitOpts, epochs: 1000, callbacks }),
    samplesPerEpoch: data.n,
    budgetMs,
  });
  delete timed.hostReadsPerEpoch;
  Object.assign(result, { batch: spec.batch, batchesPerEpoch: batches, ...timed });
}

async function losses(name, epochs, batches) {
  const spec = modelSpec(name);
  const m = compiled(name);
  const rand = prng(11);
  const before = m.getWeights().map((w) => seededWeight(w.shape, rand));
  m.setWeights(before.map((values, i) => tf.tensor(values, m.getWeights()[i].shape)));
  const data = seededData(name, batches * spec.batch);
  const x = tf.tensor(data.x, data.xShape);
  const y = tf.tensor(data.y, data.yShape);
  const t0 = performance.now();
  const history = await m.fit(x, y, { batchSize: spec.batch, epochs, shuffle: false, verbose: 0 });
  result.seconds = (performance.now() - t0) / 1000;
  // Awaited reads: the WebGPU backend in Node has no synchronous one.
  const after = await Promise.all(m.getWeights().map((w) => w.data()));
  Object.assign(result, {
    batch: spec.batch,
    epochs,
    batchesPerEpoch: batches,
    losses: history.history.loss,
    fingerprint: updateFingerprint(before, after).map((v) => Number(v.toPrecision(6))),
    numTensors: tf.memory().numTensors,
  });
}

try {
  tf.enableProdMode();
  await openBackend(backend);
  // Backend flags to try (e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE), as JSON in GPU_CHECK_FLAGS.
  const flags = JSON.parse(process.env.GPU_CHECK_FLAGS || '{}');
  for (const [k, v] of Object.entries(flags)) tf.env().set(k, v);
  if (Object.keys(flags).length > 0) result.flags = flags;
  if (mode === 'time') await time(model, Number(arg3 ?? 6), Number(arg4 ?? 0));
  else if (mode === 'losses') await losses(model, Number(arg3 ?? 3), Number(arg4 ?? 2));
  else throw new Error(`Unknown mode '${mode}'. Expected 'time' or 'losses'`);
} catch (err) {
  result.error = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 300);
}
result.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(result));
// A live Dawn instance keeps Node running: leave explicitly.
process.exit(0);
