// The npm start job: train a CNN on real MNIST digits with keras-ts, report held-out accuracy,
// save the model as .keras, reload it and check the reloaded predictions.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';
import { loadDigits } from './data.js';

const { values: flags } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    epochs: { type: 'string', default: '8' },
    'batch-size': { type: 'string', default: '64' },
    replicas: { type: 'string', default: '1' },
    'train-samples': { type: 'string' },
    'test-samples': { type: 'string' },
    'min-accuracy': { type: 'string', default: '0.97' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (flags.help) {
  console.log(`Usage: npm start -- [--backend wasm|cpu|auto|webgpu|tensorflow] [--epochs N] [--batch-size N]
                 [--replicas N] [--train-samples N] [--test-samples N] [--min-accuracy F] [--out file.keras]`);
  process.exit(0);
}

const int = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} expects a positive integer. Received: ${v}`);
  return n;
};
const epochs = int('epochs', flags.epochs);
const batchSize = int('batch-size', flags['batch-size']);
const replicas = int('replicas', flags.replicas);
const minAccuracy = Number(flags['min-accuracy']);

const session = new keras.backend.Session({
  backend: flags.backend as 'wasm',
  config: new keras.backend.ConfigProto({ allowSoftPlacement: true }),
});
await keras.backend.setSession(session);
// A fixed seed: the same initial weights on every run, so the default run's accuracy is stable.
keras.backend.setRandomSeed(Number(process.env.KERAS_TS_SEED ?? 1234));
console.log(`keras-ts MNIST: backend ${keras.backend.backendName()}`);

const { train, test } = loadDigits({
  trainSamples: flags['train-samples'] ? int('train-samples', flags['train-samples']) : undefined,
  testSamples: flags['test-samples'] ? int('test-samples', flags['test-samples']) : undefined,
});
console.log(
  `${train.count} training and ${test.count} held-out digits (the mnist package, real MNIST images)`,
);

const xTrain = tf.tensor4d(train.x, [train.count, 28, 28, 1]);
const yTrain = keras.utils.toCategorical(train.labels, 10);
const xTest = tf.tensor4d(test.x, [test.count, 28, 28, 1]);
const yTest = keras.utils.toCategorical(test.labels, 10);

const { layers } = keras;
const model = new keras.Sequential([
  new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
  new layers.MaxPooling2D({ poolSize: 2 }),
  new layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
  new layers.MaxPooling2D({ poolSize: 2 }),
  new layers.Flatten(),
  new layers.Dropout({ rate: 0.25 }),
  new layers.Dense({ units: 128, activation: 'relu' }),
  new layers.Dense({ units: 10, activation: 'softmax' }),
]);
model.summary();

const compileArgs = { optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] };
const started = performance.now();
if (replicas > 1) {
  const devices = Array.from({ length: replicas }, (_, i) => `/cpu:${i}`);
  console.log(`training data-parallel on ${devices.join(', ')}`);
  const parallel = await keras.utils.multiGpuModel(model, { devices });
  parallel.compile(compileArgs);
  await parallel.fit(xTrain, yTrain, { batchSize, epochs, verbose: 1 });
  await parallel.close();
} else {
  model.compile(compileArgs);
  await model.fit(xTrain, yTrain, { batchSize, epochs, verbose: 1 });
}
const seconds = (performance.now() - started) / 1000;

const result = (await model.evaluate(xTest, yTest, {
  batchSize: 256,
  verbose: 0,
  returnDict: true,
})) as unknown as Record<string, number>;
const accuracy = result.accuracy ?? Number.NaN;
console.log(
  `\nheld-out accuracy: ${(accuracy * 100).toFixed(2)}% on ${test.count} digits (loss ${result.loss?.toFixed(4)}), trained in ${seconds.toFixed(1)} s`,
);

const file =
  flags.out ?? path.join(mkdtempSync(path.join(tmpdir(), 'keras-ts-mnist-')), 'mnist_cnn.keras');
await model.save(file);
const reloaded = await keras.models.loadModel(file);
const before = (await model.predict(xTest, { batchSize: 256, verbose: 0 })) as tf.Tensor;
const after = (await reloaded.predict(xTest, { batchSize: 256, verbose: 0 })) as tf.Tensor;
const maxDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(before, after))).dataSync()[0] as number);
console.log(`saved ${file}; reloaded, max |prediction difference| = ${maxDiff.toExponential(2)}`);

if (!(maxDiff <= 1e-5)) {
  console.error('FAILED: the reloaded model predicts differently');
  process.exit(1);
}
if (!(accuracy >= minAccuracy)) {
  console.error(
    `FAILED: held-out accuracy ${(accuracy * 100).toFixed(2)}% is below ${(minAccuracy * 100).toFixed(1)}%`,
  );
  process.exit(1);
}
console.log(`OK: ${(accuracy * 100).toFixed(2)}% >= ${(minAccuracy * 100).toFixed(1)}%`);
