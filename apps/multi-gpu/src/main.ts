// Keras 2's multi_gpu_model workflow: build a template model, make a data-parallel copy over
// the devices found, compile and fit the copy, then save the template (it holds the weights).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

const { values: flags } = parseArgs({
  options: {
    samples: { type: 'string', default: '4096' },
    epochs: { type: 'string', default: '3' },
    'batch-size': { type: 'string', default: '128' },
  },
});
const samples = Number(flags.samples);
const epochs = Number(flags.epochs);
const batchSize = Number(flags['batch-size']);

await keras.backend.ensureBackend();
const devices = keras.utils.listDevices();
console.log(`devices: ${devices.map((d) => d.name).join(', ')}`);
const gpus = devices.filter((d) => d.type === 'GPU');
const replicaDevices =
  gpus.length >= 2
    ? gpus.map((d) => d.name)
    : devices.filter((d) => d.type === 'CPU').map((d) => d.name);
if (replicaDevices.length < 2) {
  console.log('Only one device here: data parallelism needs at least two. Exiting.');
  process.exit(0);
}

// Keras 2 raises when asked for more GPUs than there are; so does keras-ts.
try {
  await keras.utils.multiGpuModel(
    new keras.Sequential([new keras.layers.Dense({ units: 1, inputShape: [1] })]),
    { gpus: 8 },
  );
} catch (err) {
  console.log(`multiGpuModel(model, { gpus: 8 }) -> ${(err as Error).message}`);
}

// A small image classifier on synthetic data: class k has a bright k-th row.
const x = tf.tidy(() => {
  const noise = tf.randomUniform([samples, 16, 16, 1], 0, 0.5, 'float32', 7);
  const rows = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: samples }, (_, i) => i % 4),
      'int32',
    ),
    16,
  );
  return tf.add(
    noise,
    tf.reshape(tf.tile(tf.reshape(rows, [samples, 16, 1]), [1, 1, 16]), [samples, 16, 16, 1]),
  );
});
const y = keras.utils.toCategorical(
  Array.from({ length: samples }, (_, i) => i % 4),
  4,
);

const template = new keras.Sequential([
  new keras.layers.Conv2D({
    filters: 16,
    kernelSize: 3,
    activation: 'relu',
    inputShape: [16, 16, 1],
  }),
  new keras.layers.MaxPooling2D({ poolSize: 2 }),
  new keras.layers.Flatten(),
  new keras.layers.Dense({ units: 32, activation: 'relu' }),
  new keras.layers.Dense({ units: 4, activation: 'softmax' }),
]);

console.log(
  `\ntraining on ${replicaDevices.join(', ')} (global batch ${batchSize}, split ${replicaDevices.length} ways)`,
);
const parallel = await keras.utils.multiGpuModel(template, { devices: replicaDevices });
parallel.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
const history = await parallel.fit(x, y, { batchSize, epochs, verbose: 1 });
const seconds = (performance.now() - t0) / 1000;
console.log(
  `${((samples * epochs) / seconds).toFixed(0)} samples/s over ${replicaDevices.length} replicas`,
);
await parallel.close();

const result = (await template.evaluate(x, y, {
  verbose: 0,
  returnDict: true,
})) as unknown as Record<string, number>;
console.log(
  `template after training: loss ${result.loss?.toFixed(4)}, accuracy ${result.accuracy?.toFixed(4)}`,
);
const file = path.join(mkdtempSync(path.join(tmpdir(), 'keras-ts-multi-gpu-')), 'template.keras');
await template.save(file);
console.log(`saved the template (it holds the trained weights): ${file}`);
const losses = history.history.loss as number[];
if (!((losses[losses.length - 1] as number) <= (losses[0] as number))) {
  console.error(`FAILED: loss did not go down (${losses.join(' -> ')})`);
  process.exit(1);
}
