import { ensureBackend } from '@keras-ts/backend';
import { Model, optimizers } from '@keras-ts/engine';
import { BatchNormalization, Dense, Input, type SymbolicTensor } from '@keras-ts/layers';
import '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { multiGpuModel, type ParallelModel } from './parallel-model.js';

function mlp(seed: number, withBn = false): Model {
  const x = Input({ shape: [3], name: 'features' });
  let h = new Dense({
    units: 4,
    activation: 'tanh',
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed } },
  }).apply(x) as SymbolicTensor;
  if (withBn) h = new BatchNormalization({ momentum: 0.5 }).apply(h) as SymbolicTensor;
  const y = new Dense({
    units: 2,
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed: seed + 1 } },
  }).apply(h) as SymbolicTensor;
  return new Model({ inputs: x, outputs: y });
}

let X: tf.Tensor;
let Y: tf.Tensor;

describe('multiGpuModel over CPU replicas', () => {
  let parallel: ParallelModel | null = null;
  beforeAll(async () => {
    await ensureBackend();
    X = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 60)), [20, 3]));
    Y = tf.tidy(() => tf.reshape(tf.cos(tf.range(0, 40)), [20, 2]));
  });
  afterEach(async () => {
    await parallel?.close();
    parallel = null;
  });

  it('N replicas with SGD end with the weights of one replica at the same global batch', async () => {
    const single = mlp(3);
    const template = mlp(3);
    template.setWeights(single.getWeights());
    single.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1 }),
      loss: 'mean_squared_error',
    });
    // Batch 7 over 2 replicas: slices of 3 and 4 rows, and a last batch of 6.
    const h1 = await single.fit(X, Y, { batchSize: 7, epochs: 3, shuffle: false, verbose: 0 });
    parallel = await multiGpuModel(template, { devices: ['/cpu:0', '/cpu:1'] });
    parallel.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1 }),
      loss: 'mean_squared_error',
    });
    const h2 = await parallel.fit(X, Y, { batchSize: 7, epochs: 3, shuffle: false, verbose: 0 });
    const a = single.getWeights();
    const b = template.getWeights();
    for (const [i, w] of a.entries()) expect(b[i]).toBeAllclose(w, { rtol: 1e-5, atol: 1e-6 });
    expect(h2.history.loss).toBeAllclose(h1.history.loss as number[], { rtol: 1e-5 });
    tf.dispose([...a, ...b]);
  });

  it('predict splits, runs each slice on its replica and concatenates in order', async () => {
    const template = mlp(5);
    const expected = (await template.predict(X)) as tf.Tensor;
    parallel = await multiGpuModel(template, { devices: ['/cpu:0', '/cpu:1'] });
    const got = (await parallel.predict(X)) as tf.Tensor;
    expect(got).toBeAllclose(expected, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([expected, got]);
  });

  it('keeps BatchNormalization moving statistics equal across replicas (weighted mean)', async () => {
    const template = mlp(7, true);
    // Hidden activations before the step, from the first Dense layer (layers[0] is the input).
    const h = tf.tidy(() => template.layers[1]?.apply(X) as tf.Tensor);
    const expected = tf.tidy(() => tf.mul(0.5, tf.mean(h, 0)));
    parallel = await multiGpuModel(template, { devices: ['/cpu:0', '/cpu:1'] });
    parallel.compile({ optimizer: 'sgd', loss: 'mse' });
    await parallel.trainOnBatch(X, Y);
    // Each replica normalises its own 10 rows and updates moving_mean = 0.5 * 0 + 0.5 * slice
    // mean; the replicas then average their statistics, which equals 0.5 * mean of all 20 rows.
    const bn = template.layers.find((l) => l.constructor.name === 'BatchNormalization');
    const weights = bn?.getWeights() as tf.Tensor[];
    expect(weights[2]).toBeAllclose(expected, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([h, expected, ...weights]);
  });

  it('a replica that fails rejects fit within seconds with its device, and nothing hangs', async () => {
    const template = mlp(9);
    parallel = await multiGpuModel(template, { devices: ['/cpu:0', '/cpu:1'] });
    parallel.compile({ optimizer: 'sgd', loss: 'mse' });
    await parallel.trainOnBatch(X, Y);
    const before = template.getWeights();
    // Wrong target width: both replicas throw in the loss; the error names a device.
    const bad = tf.zeros([20, 5]);
    const t0 = Date.now();
    await expect(parallel.trainOnBatch(X, bad)).rejects.toThrow(/Replica on \/cpu:[01] failed/);
    expect(Date.now() - t0).toBeLessThan(5000);
    const after = template.getWeights();
    for (const [i, w] of before.entries()) expect(after[i]).toBeAllclose(w);
    tf.dispose([...before, ...after, bad]);
  });

  it('a replica thread that dies makes fit reject with its device; the template keeps a completed step', async () => {
    const template = mlp(11);
    const initial = template.getWeights();
    parallel = await multiGpuModel(template, {
      devices: ['/cpu:0', '/cpu:1'],
      modules: [new URL('./test-fixtures/die-on-cpu1.mjs', import.meta.url).href],
    });
    parallel.compile({ optimizer: 'sgd', loss: 'mse' });
    const t0 = Date.now();
    await expect(parallel.fit(X, Y, { batchSize: 2, epochs: 1000, verbose: 0 })).rejects.toThrow(
      'Replica on /cpu:1 failed: its worker thread exited with code 9',
    );
    expect(Date.now() - t0).toBeLessThan(20_000);
    // Some steps completed before the crash, and their weights are finite.
    const after = template.getWeights();
    expect(
      after.some((w, i) => tf.max(tf.abs(tf.sub(w, initial[i] as tf.Tensor))).dataSync()[0] !== 0),
    ).toBe(true);
    for (const w of after) expect(Number.isFinite(tf.sum(w).dataSync()[0])).toBe(true);
    tf.dispose([...initial, ...after]);
  });

  it('refuses GPUs that are not there, naming the devices', async () => {
    await expect(multiGpuModel(mlp(1), { gpus: 2 })).rejects.toThrow(
      /we expect the following devices to be available: \["\/cpu:0","\/gpu:0","\/gpu:1"\]/,
    );
  });
});
