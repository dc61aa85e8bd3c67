// tfjs-layers 4.22 (@tensorflow/tfjs: core + gradients + layers, the way its Node users train) on
// one backend, in its own process; for webgpu, navigator.gpu comes from the same `webgpu` package
// keras-ts loads. No keras-ts module is imported here: keras-ts registers its own gradients, which
// would change what tfjs-layers runs. Prints one JSON line.
//   node tfjs-layers.mjs <mlp|cnn> <backend> [seconds] [batch]
// model.fit (verbose 0) over synthetic data, short epochs until the time is up, as the keras-ts
// runner does: samples/s of the epochs after the first, numTensors after every epoch.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { batchesForBudget, modelSpec } from './models.mjs';

const [model = 'mlp', backend = 'webgpu', seconds = '6', batchArg = '0'] = process.argv.slice(2);
const result = { runner: 'tfjs-layers', mode: 'time', model, backend };

async function useBackend(name) {
  if (name === 'webgpu') {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu: create([]) },
      configurable: true,
      writable: true,
    });
    const adapter = await globalThis.navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('webgpu (Dawn) found no GPU adapter');
    // Registers 'webgpu' only when navigator.gpu exists at import time.
    await import('@tensorflow/tfjs-backend-webgpu');
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  result.backend = tf.getBackend();
  const info = tf.backend().adapterInfo;
  if (info) result.adapter = { vendor: info.vendor, architecture: info.architecture };
}

function build(name) {
  const L = tf.layers;
  if (name === 'mlp') {
    return tf.sequential({
      layers: [
        L.dense({ units: 1024, activation: 'relu', inputShape: [784] }),
        L.dense({ units: 1024, activation: 'relu' }),
        L.dense({ units: 10, activation: 'softmax' }),
      ],
    });
  }
  return tf.sequential({
    layers: [
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 128, activation: 'relu' }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function syntheticData(spec, batches) {
  const n = batches * spec.batch;
  const x = tf.randomUniform([n, ...spec.input], 0, 1, 'float32', 1);
  const y = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([n], 0, spec.classes, 'int32', 3), spec.classes),
  );
  return { x, y, n };
}

try {
  tf.enableProdMode();
  await useBackend(backend);
  const spec = modelSpec(model, Number(batchArg));
  const budgetMs = Number(seconds) * 1000;
  const m = build(model);
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const fitOpts = { batchSize: spec.batch, verbose: 0 };

  const probe = syntheticData(spec, 3);
  const w0 = performance.now();
  await m.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  result.warmupSeconds = (performance.now() - w0) / 1000;
  const t0 = performance.now();
  await m.fit(probe.x, probe.y, { ...fitOpts, epochs: 1 });
  const batches = batchesForBudget({ perBatchMs: (performance.now() - t0) / 3, budgetMs });
  tf.dispose([probe.x, probe.y]);

  const data = syntheticData(spec, batches);
  const marks = [];
  const start = performance.now();
  await m.fit(data.x, data.y, {
    ...fitOpts,
    epochs: 1000,
    callbacks: {
      onEpochEnd: async () => {
        const now = performance.now();
        marks.push({ t: now, numTensors: tf.memory().numTensors });
        if (now - start > budgetMs && marks.length >= 4) m.stopTraining = true;
      },
    },
  });
  if (marks.length < 2) throw new Error(`Expected at least 2 epochs. Received: ${marks.length}`);
  Object.assign(result, {
    batch: spec.batch,
    batchesPerEpoch: batches,
    epochs: marks.length,
    samplesPerSec: ((marks.length - 1) * data.n) / ((marks.at(-1).t - marks[0].t) / 1000),
    numTensorsPerEpoch: marks.map((k) => k.numTensors),
  });
} catch (err) {
  result.error = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 300);
}
result.peakRssMB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify(result));
process.exit(0);
