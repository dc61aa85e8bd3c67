import { ensureBackend } from '@keras-ts/backend';
import { optimizers } from '@keras-ts/engine';
import '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaDevice } from './devices.js';
import { multiGpuModel, multiGpuModelOn } from './multi-gpu-model.js';
import type { ParallelModel } from './parallel-model.js';
import type { ProcessPool } from './process-pool.js';
import { mlp, regressionData, sameWeights } from './test-utils/models.js';

const cpus = ['/cpu:0', '/cpu:1'];

/** Whether a process with this id still exists (signal 0 checks without signalling). */
function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function childPids(parallel: ParallelModel): (number | undefined)[] {
  const pool = (parallel as unknown as { pool: ProcessPool }).pool;
  return pool.children.map((c) => c.pid);
}

let X: tf.Tensor;
let Y: tf.Tensor;

describe("multiGpuModel with transport: 'process' (wasm replicas in child processes)", () => {
  let parallel: ParallelModel | null = null;
  beforeAll(async () => {
    await ensureBackend();
    ({ x: X, y: Y } = regressionData());
  });
  afterEach(async () => {
    await parallel?.close();
    parallel = null;
  });

  it('N process replicas with SGD end with the weights of one model at the same global batch', async () => {
    const single = mlp(3);
    const template = sameWeights(single, mlp(3));
    const compile = () => ({
      optimizer: new optimizers.SGD({ learningRate: 0.1 }),
      loss: 'mean_squared_error',
      metrics: ['mae'],
    });
    single.compile(compile());
    // Batch 7 over 2 replicas: slices of 3 and 4 rows, and a last batch of 6.
    const h1 = await single.fit(X, Y, { batchSize: 7, epochs: 3, shuffle: false, verbose: 0 });
    parallel = await multiGpuModel(template, { devices: cpus, transport: 'process' });
    const pids = childPids(parallel);
    expect(pids.every(alive)).toBe(true);
    parallel.compile(compile());
    const h2 = await parallel.fit(X, Y, { batchSize: 7, epochs: 3, shuffle: false, verbose: 0 });
    const a = single.getWeights();
    const b = template.getWeights();
    for (const [i, w] of a.entries()) expect(b[i]).toBeAllclose(w, { rtol: 1e-5, atol: 1e-6 });
    expect(h2.history.loss).toBeAllclose(h1.history.loss as number[], { rtol: 1e-5 });
    // The metric comes from the replicas' merged predictions.
    expect(h2.history.mae).toBeAllclose(h1.history.mae as number[], { rtol: 1e-5 });
    // A recompile restarts the replicas' step count, and the parent's with it.
    single.compile(compile());
    parallel.compile(compile());
    await single.trainOnBatch(X, Y);
    await parallel.trainOnBatch(X, Y);
    const c = single.getWeights();
    const d = template.getWeights();
    for (const [i, w] of c.entries()) expect(d[i]).toBeAllclose(w, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([...a, ...b, ...c, ...d]);
    await parallel.close();
    parallel = null;
    expect(pids.some(alive)).toBe(false);
  });

  it('predict splits, runs each slice in its process and concatenates in order', async () => {
    const template = mlp(5);
    const expected = (await template.predict(X, { verbose: 0 })) as tf.Tensor;
    parallel = await multiGpuModel(template, { devices: cpus, transport: 'process' });
    const got = (await parallel.predict(X)) as tf.Tensor;
    expect(got).toBeAllclose(expected, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([expected, got]);
  });

  it('a replica whose step throws rejects with its device; the template keeps the last step; children end', async () => {
    const template = mlp(9);
    parallel = await multiGpuModel(template, { devices: cpus, transport: 'process' });
    const pids = childPids(parallel);
    parallel.compile({ optimizer: 'sgd', loss: 'mse' });
    const initial = template.getWeights();
    await parallel.trainOnBatch(X, Y);
    const before = template.getWeights();
    expect(
      tf.max(tf.abs(tf.sub(before[0] as tf.Tensor, initial[0] as tf.Tensor))).dataSync()[0],
    ).toBeGreaterThan(0);
    // Wrong target width: both replicas throw in the loss, before the all-reduce.
    const bad = tf.zeros([20, 5]);
    const t0 = Date.now();
    await expect(parallel.trainOnBatch(X, bad)).rejects.toThrow(
      /Replica on \/cpu:[01] failed: .*shape/,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    const after = template.getWeights();
    for (const [i, w] of before.entries()) expect(after[i]).toBeAllclose(w);
    expect(pids.some(alive)).toBe(false);
    await expect(parallel.trainOnBatch(X, Y)).rejects.toThrow(/Replica on \/cpu:[01] failed/);
    tf.dispose([...initial, ...before, ...after, bad]);
  });

  it('a replica process that dies rejects fit with its device; the template keeps a completed step', async () => {
    const template = mlp(11);
    const initial = template.getWeights();
    parallel = await multiGpuModel(template, {
      devices: cpus,
      transport: 'process',
      modules: [new URL('./test-fixtures/die-in-process-on-cpu1.mjs', import.meta.url).href],
    });
    const pids = childPids(parallel);
    parallel.compile({ optimizer: 'sgd', loss: 'mse' });
    const t0 = Date.now();
    await expect(parallel.fit(X, Y, { batchSize: 2, epochs: 1000, verbose: 0 })).rejects.toThrow(
      'Replica on /cpu:1 failed: its process exited with code 9',
    );
    expect(Date.now() - t0).toBeLessThan(20_000);
    // Steps completed before the crash; the survivor's weights are finite and moved on.
    const after = template.getWeights();
    expect(
      after.some((w, i) => tf.max(tf.abs(tf.sub(w, initial[i] as tf.Tensor))).dataSync()[0] !== 0),
    ).toBe(true);
    for (const w of after) expect(Number.isFinite(tf.sum(w).dataSync()[0])).toBe(true);
    expect(pids.some(alive)).toBe(false);
    tf.dispose([...initial, ...after]);
  });
});

describe('multiGpuModel on GPU devices', () => {
  const twoGpus: ReplicaDevice[] = [
    { name: '/cpu:0', type: 'CPU', index: 0 },
    { name: '/gpu:0', type: 'GPU', index: 0 },
    { name: '/gpu:1', type: 'GPU', index: 1 },
  ];
  const missing = (specifier: string): string => {
    throw new Error(`Cannot find module '${specifier}'`);
  };

  it('names @tensorflow/tfjs-node-gpu when it cannot be found, before starting anything', async () => {
    await expect(
      multiGpuModelOn(
        mlp(1),
        { gpus: 2 },
        { listDevices: () => twoGpus, resolveBackendPeer: missing },
      ),
    ).rejects.toThrow(
      "GPU replicas (/gpu:0) run @tensorflow/tfjs-node-gpu in one process each, but it cannot be found from @keras-ts/backend (@tensorflow/tfjs-node-gpu: Cannot find module '@tensorflow/tfjs-node-gpu')",
    );
  });

  it('refuses threads and CPU backends for GPUs, and still names the GPUs a machine lacks', async () => {
    const probe = { listDevices: () => twoGpus, resolveBackendPeer: (s: string) => s };
    await expect(multiGpuModelOn(mlp(1), { gpus: 2, transport: 'thread' }, probe)).rejects.toThrow(
      "GPU replicas (/gpu:0) run in child processes: tfjs-node-gpu computes on one GPU per process. Use transport: 'process' (the default for GPUs). Received: transport='thread'",
    );
    await expect(multiGpuModelOn(mlp(1), { gpus: 2, backend: 'wasm' }, probe)).rejects.toThrow(
      "GPU replicas (/gpu:0) need a GPU backend: 'tensorflow' (@tensorflow/tfjs-node-gpu) or 'webgpu'. Received: backend='wasm'",
    );
    await expect(
      multiGpuModelOn(
        mlp(1),
        { devices: cpus, backend: 'tensorflow' },
        { ...probe, listDevices: () => [...twoGpus, { name: '/cpu:1', type: 'CPU', index: 1 }] },
      ),
    ).rejects.toThrow(
      "('tensorflow' and 'webgpu' need transport: 'process'). Received: backend=\"tensorflow\"",
    );
    await expect(multiGpuModelOn(mlp(1), { gpus: 3 }, probe)).rejects.toThrow(
      'we expect the following devices to be available: ["/cpu:0","/gpu:0","/gpu:1","/gpu:2"]',
    );
  });

  it('starts one tensorflow process per GPU; a replica that cannot load it fails with its device', async () => {
    // The package resolves (as the probe says), but no process here can load the tensorflow
    // backend: each replica's session refuses to fall back, and the error names the device.
    const probe = { listDevices: () => twoGpus, resolveBackendPeer: (s: string) => s };
    const t0 = Date.now();
    await expect(multiGpuModelOn(mlp(1), { gpus: 2 }, probe)).rejects.toThrow(
      /Replica on \/gpu:[01] failed: Session asked for backend 'tensorflow' but backend 'tensorflow' is not available \(@tensorflow\/tfjs-node-gpu: /,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
