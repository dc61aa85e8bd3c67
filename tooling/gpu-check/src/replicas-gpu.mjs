// multiGpuModel replicas training on the GPU: 2 process replicas, each with its own Dawn device on
// the one GPU (`transport: 'process', backend: 'webgpu'`), against one model on webgpu in this
// process, from the same seeded weights and data, SGD, unshuffled. Prints the losses of both, the
// largest weight difference at the end, and samples/s of each. One JSON line.
//   node replicas-gpu.mjs [backend=webgpu] [epochs=3]
import { Session, setSession } from '@keras-ts/backend';
import { optimizers, Sequential } from '@keras-ts/engine';
import { Dense, Input } from '@keras-ts/layers';
import { multiGpuModel } from '@keras-ts/multi-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { prng, seededData, seededWeight } from './models.mjs';

const [backend = 'webgpu', epochsArg = '3'] = process.argv.slice(2);
const epochs = Number(epochsArg);
const result = { runner: 'keras-ts replicas', backend, replicas: 2, transport: 'process' };
let parallel = null;

function mlp() {
  return new Sequential([
    Input({ shape: [784] }),
    new Dense({ units: 256, activation: 'relu' }),
    new Dense({ units: 10, activation: 'softmax' }),
  ]);
}

async function train(fitter, x, y) {
  const t0 = performance.now();
  const h = await fitter.fit(x, y, { batchSize: 256, epochs, shuffle: false, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  return { losses: h.history.loss, samplesPerSec: (epochs * x.shape[0]) / seconds };
}

try {
  await setSession(
    new Session({
      backend,
      config: { allowSoftPlacement: false },
      importModule: (specifier) => import(specifier),
    }),
  );
  result.mainBackend = tf.getBackend();
  const data = seededData('mlp', 2048);
  const x = tf.tensor(data.x, data.xShape);
  const y = tf.tensor(data.y, data.yShape);
  const rand = prng(5);
  const single = mlp();
  const start = single.getWeights().map((w) => tf.tensor(seededWeight(w.shape, rand), w.shape));
  single.setWeights(start);
  const template = mlp();
  template.setWeights(start);
  const compileArgs = () => ({
    optimizer: new optimizers.SGD({ learningRate: 0.1 }),
    loss: 'categorical_crossentropy',
  });
  single.compile(compileArgs());
  // A warm-up epoch on copies would change the weights: both runs are timed cold, the same way.
  const one = await train(single, x, y);
  parallel = await multiGpuModel(template, {
    devices: ['/cpu:0', '/cpu:1'],
    transport: 'process',
    backend,
  });
  parallel.compile(compileArgs());
  const two = await train(parallel, x, y);
  const a = await Promise.all(single.getWeights().map((w) => w.data()));
  const b = await Promise.all(template.getWeights().map((w) => w.data()));
  let maxDiff = 0;
  a.forEach((wa, k) => {
    for (let i = 0; i < wa.length; i++) maxDiff = Math.max(maxDiff, Math.abs(wa[i] - b[k][i]));
  });
  Object.assign(result, { single: one, parallel: two, maxWeightDiff: maxDiff });
} catch (err) {
  result.error = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 300);
} finally {
  await parallel?.close().catch(() => {});
}
console.log(JSON.stringify(result));
process.exit(0);
