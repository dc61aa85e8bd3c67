import { ensureBackend } from '@keras-ts/backend';
import { Callback, optimizers } from '@keras-ts/engine';
import '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { multiGpuModel } from './multi-gpu-model.js';
import type { ParallelModel } from './parallel-model.js';
import { mlp, sameWeights, twoHeads } from './test-utils/models.js';

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

  it('logs compiled metrics (per output, and val_) equal to one model trained the same way', async () => {
    // Class 1 where the features sum above zero; the second head regresses that sum.
    const cls = tf.tidy(() => tf.oneHot(tf.cast(tf.greater(tf.sum(X, 1), 0), 'int32'), 2));
    const reg = tf.tidy(() => tf.sum(X, 1, true));
    const single = twoHeads(21);
    const template = sameWeights(single, twoHeads(21));
    const compile = () => ({
      optimizer: new optimizers.SGD({ learningRate: 0.1 }),
      loss: { cls: 'categorical_crossentropy', reg: 'mse' },
      metrics: { cls: ['accuracy'], reg: ['mae', 'mse'] },
    });
    const fitArgs = {
      batchSize: 6,
      epochs: 4,
      shuffle: false,
      verbose: 0 as const,
      validationData: [X, [cls, reg]] as [unknown, unknown],
    };
    single.compile(compile());
    const h1 = await single.fit(X, [cls, reg], fitArgs);
    parallel = await multiGpuModel(template, { devices: ['/cpu:0', '/cpu:1'] });
    parallel.compile(compile());
    const h2 = await parallel.fit(X, [cls, reg], fitArgs);
    const names = ['cls_loss', 'reg_loss', 'cls_accuracy', 'reg_mae', 'reg_mse'];
    for (const k of [...names, ...names.map((n) => `val_${n}`), 'loss', 'val_loss']) {
      expect(h2.history[k], k).toBeAllclose(h1.history[k] as number[], { rtol: 1e-5, atol: 1e-7 });
    }
    // The accuracy moves while training, so equal histories are not equal constants.
    expect(new Set(h2.history.cls_accuracy).size).toBeGreaterThan(1);
    tf.dispose([cls, reg]);
  });

  it('stops after the batch whose callback sets stopTraining, like one model', async () => {
    // Stops training at the end of the third batch (index 2) of the first epoch.
    class StopAtThirdBatch extends Callback {
      batches = 0;
      override onTrainBatchEnd(batch: number): void {
        this.batches += 1;
        if (batch === 2 && this.model) this.model.stopTraining = true;
      }
    }
    const single = mlp(13);
    const template = sameWeights(single, mlp(13));
    const sgd = () => new optimizers.SGD({ learningRate: 0.1 });
    single.compile({ optimizer: sgd(), loss: 'mse' });
    const stopSingle = new StopAtThirdBatch();
    await single.fit(X, Y, {
      batchSize: 4,
      epochs: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [stopSingle],
    });
    parallel = await multiGpuModel(template, { devices: ['/cpu:0', '/cpu:1'] });
    parallel.compile({ optimizer: sgd(), loss: 'mse' });
    const stopParallel = new StopAtThirdBatch();
    await parallel.fit(X, Y, {
      batchSize: 4,
      epochs: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [stopParallel],
    });
    expect(stopSingle.batches).toBe(3);
    expect(stopParallel.batches).toBe(3);
    const a = single.getWeights();
    const b = template.getWeights();
    for (const [i, w] of a.entries()) expect(b[i]).toBeAllclose(w, { rtol: 1e-5, atol: 1e-6 });
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
