import { createRequire } from 'node:module';
import type { Model } from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';
import { toHost } from './codec.js';
import { listDevices, type ReplicaDevice, resolveDevices } from './devices.js';
import { ParallelModel } from './parallel-model.js';
import type { ReplicaBackend } from './process-env.js';
import { ProcessPool } from './process-pool.js';
import { type ReplicaTransport, ThreadTransport } from './transport.js';

export interface MultiGpuModelOptions {
  /** Number of GPUs (>= 2) or a list of GPU ids, as Keras 2. */
  gpus?: number | number[];
  /** Explicit devices, e.g. `['/cpu:0', '/cpu:1']` for one replica per CPU core. */
  devices?: string[];
  /** Keras 2's `cpu_merge`: outputs are merged on the host here in every case. */
  cpuMerge?: boolean;
  /**
   * Where replicas run: 'thread' (worker threads, the default for CPU devices) or 'process'
   * (one child process per replica; GPU devices always use processes, since tfjs-node-gpu
   * computes on one GPU per process).
   */
  transport?: 'thread' | 'process';
  /**
   * The tfjs backend inside each replica: 'wasm' (default for CPU devices) or 'cpu' in threads
   * or processes; in processes also 'tensorflow' (@tensorflow/tfjs-node-gpu, the default for
   * GPU devices) and 'webgpu'.
   */
  backend?: ReplicaBackend;
  /**
   * Module URLs each replica imports before rebuilding the model: where your custom layers call
   * registerKerasSerializable (replicas are separate threads or processes and share no code
   * with this one).
   */
  modules?: string[];
}

/** What the factory reads from the machine; tests replace it (not exported from the package). */
export interface MachineProbe {
  listDevices(): ReplicaDevice[];
  /** Where `specifier` resolves for @keras-ts/backend (which imports the native backends); throws if it does not. */
  resolveBackendPeer(specifier: string): string;
}

const machine: MachineProbe = {
  listDevices,
  resolveBackendPeer(specifier) {
    // @keras-ts/backend imports tfjs-node(-gpu) as its optional peer, so resolve from there.
    const backendPkg = createRequire(import.meta.url).resolve('@keras-ts/backend/package.json');
    return createRequire(backendPkg).resolve(specifier);
  },
};

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

/** The transport and backend the options ask for, checked before anything starts. */
function chooseRuntime(
  devices: ReplicaDevice[],
  options: MultiGpuModelOptions,
  probe: MachineProbe,
): { transport: 'thread' | 'process'; backend: ReplicaBackend } {
  const gpu = devices.find((d) => d.type === 'GPU');
  const transport = options.transport ?? (gpu ? 'process' : 'thread');
  if (transport !== 'thread' && transport !== 'process') {
    throw new Error(
      `Expected \`transport\` to be 'thread' or 'process'. Received: transport=${JSON.stringify(transport)}`,
    );
  }
  if (gpu && transport === 'thread') {
    throw new Error(
      `GPU replicas (${gpu.name}) run in child processes: tfjs-node-gpu computes on one GPU per process. Use transport: 'process' (the default for GPUs). Received: transport='thread'`,
    );
  }
  const backend = options.backend ?? (gpu ? 'tensorflow' : 'wasm');
  const allowed: ReplicaBackend[] =
    transport === 'thread' ? ['wasm', 'cpu'] : ['wasm', 'cpu', 'tensorflow', 'webgpu'];
  if (!allowed.includes(backend)) {
    throw new Error(
      `Replicas in ${transport === 'thread' ? 'worker threads' : 'child processes'} run on the ${allowed.map((b) => `'${b}'`).join(', ')} backends${transport === 'thread' ? " ('tensorflow' and 'webgpu' need transport: 'process')" : ''}. Received: backend=${JSON.stringify(backend)}`,
    );
  }
  if (gpu && backend !== 'tensorflow' && backend !== 'webgpu') {
    throw new Error(
      `GPU replicas (${gpu.name}) need a GPU backend: 'tensorflow' (@tensorflow/tfjs-node-gpu) or 'webgpu'. Received: backend='${backend}'`,
    );
  }
  if (backend === 'tensorflow') {
    // Checked here, before forking: the user gets one clear error instead of one per child.
    const candidates = gpu
      ? ['@tensorflow/tfjs-node-gpu']
      : ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
    const reasons: string[] = [];
    const found = candidates.some((pkg) => {
      try {
        probe.resolveBackendPeer(pkg);
        return true;
      } catch (e) {
        reasons.push(`${pkg}: ${firstLine(e)}`);
        return false;
      }
    });
    if (!found) {
      throw new Error(
        `${gpu ? `GPU replicas (${gpu.name}) run` : "Replicas on backend 'tensorflow' run"} @tensorflow/tfjs-node-gpu${gpu ? '' : ' (or @tensorflow/tfjs-node)'} in one process each, but it cannot be found from @keras-ts/backend (${reasons.join('; ')}). Install it beside @keras-ts/backend: npm install @tensorflow/tfjs-node-gpu@^4.22 (needs CUDA 11.2 and cuDNN 8.1), or use CPU devices (devices: ['/cpu:0', '/cpu:1']).`,
      );
    }
  }
  return { transport, backend };
}

/**
 * `multiGpuModel` with the machine probe given: the package's tests fake GPUs and missing
 * packages through it.
 */
export async function multiGpuModelOn(
  model: Model,
  options: MultiGpuModelOptions,
  probe: MachineProbe,
): Promise<ParallelModel> {
  const devices = resolveDevices(options, probe.listDevices());
  const { transport, backend } = chooseRuntime(devices, options, probe);
  const pool: ReplicaTransport =
    transport === 'process'
      ? new ProcessPool(devices, backend)
      : new ThreadTransport(devices, backend as 'wasm' | 'cpu');
  const modelJSON = model.toJSON();
  const values = model.getWeights();
  let weights: Awaited<ReturnType<typeof toHost>>[];
  try {
    weights = await Promise.all(values.map(toHost));
  } catch (err) {
    await pool.close();
    throw err;
  } finally {
    tf.dispose(values);
  }
  const init = Promise.all(
    devices.map((d, rank) =>
      pool.request(rank, {
        type: 'init',
        modelJSON,
        weights,
        rank,
        device: d.name,
        modules: options.modules ?? [],
      }),
    ),
  ).then(() => {});
  init.catch(() => {});
  try {
    await init;
  } catch (e) {
    // Nothing must outlive a model that never started (threads or processes).
    await pool.close();
    throw e;
  }
  return new ParallelModel(model, devices, pool, init);
}

/**
 * `keras.utils.multi_gpu_model(model, gpus=N)`: a data-parallel copy of `model` with one
 * replica per device: worker threads for CPU devices (`devices: ['/cpu:0', '/cpu:1']`, one per
 * core), one child process per GPU with `CUDA_VISIBLE_DEVICES` set to its index.
 */
export function multiGpuModel(model: Model, options: MultiGpuModelOptions): Promise<ParallelModel> {
  return multiGpuModelOn(model, options, machine);
}
