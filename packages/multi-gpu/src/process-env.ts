import type { ReplicaDevice } from './devices.js';

/** The backends a process replica can run; threads take only the first two. */
export type ReplicaBackend = 'wasm' | 'cpu' | 'tensorflow' | 'webgpu';

/**
 * The environment variables a replica process starts with (on top of the parent's).
 *
 * tfjs-node-gpu places every op on one GPU per process and libtensorflow reads
 * CUDA_VISIBLE_DEVICES once, when the addon loads: a replica for `/gpu:1` therefore sees only
 * that GPU (as its /gpu:0). A CPU replica on the tensorflow backend hides every GPU ('-1'), so
 * it neither computes on one nor reserves its memory.
 */
export function replicaEnv(
  device: ReplicaDevice,
  rank: number,
  backend: ReplicaBackend,
): Record<string, string> {
  const env: Record<string, string> = {
    KERAS_TS_REPLICA_DEVICE: device.name,
    KERAS_TS_REPLICA_RANK: String(rank),
  };
  if (device.type === 'GPU') env.CUDA_VISIBLE_DEVICES = String(device.index);
  else if (backend === 'tensorflow') env.CUDA_VISIBLE_DEVICES = '-1';
  return env;
}
