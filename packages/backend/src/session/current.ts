/**
 * The process-wide current session (`K.set_session`, `K.get_session`, `K.clear_session`).
 *
 * Switching sessions while tensors exist is safe: tfjs keeps every initialised backend alive and
 * moves a tensor's data to the active backend the first time a kernel reads it, so old tensors
 * stay valid and give the same values. Only the old session's hooks (placement log, budget) go.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DeviceSpec } from '../devices/devices.js';
import { listDevicesFor } from '../devices/devices.js';
import { kerasDefaultConfig } from './config-proto.js';
import { Session } from './session.js';

let current: Session | null = null;

/** Session changes run one at a time, in call order: each swaps process-wide backend state. */
let queue: Promise<unknown> = Promise.resolve();

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** Keras's default session: backend 'auto', soft placement on, threads from OMP_NUM_THREADS. */
export function defaultSession(): Session {
  return new Session({ config: kerasDefaultConfig(), backend: 'auto' });
}

/**
 * Makes `session` the current one: opens it (choosing its backend), then retires the previous
 * session's hooks. If opening fails, the previous session is restored and the error rethrown.
 */
export async function setSession(session: Session): Promise<void> {
  if (!(session instanceof Session)) {
    throw new Error(
      `setSession expects a Session (new Session({ config, backend })). Received: ${String(session)}`,
    );
  }
  return serialized(() => switchTo(session));
}

async function switchTo(session: Session): Promise<void> {
  if (session === current && session.isOpen) return;
  const previous = current;
  // Hooks are per backend: the old ones go first so the new session never wraps them twice.
  previous?.close();
  try {
    await session.open();
  } catch (e) {
    if (previous) await previous.open();
    throw e;
  }
  current = session;
}

/** The current session; a (not yet opened) default session when none was set. */
export function getSession(): Session {
  current ??= defaultSession();
  return current;
}

/**
 * Closes the current session and opens a fresh default one. Tensors are not disposed: they stay
 * usable (they move to the new backend when read).
 */
export function clearSession(): Promise<void> {
  return serialized(async () => {
    current?.close();
    current = null;
    const fresh = defaultSession();
    await fresh.open();
    current = fresh;
  });
}

/** The active backend's name: 'wasm', 'cpu', 'webgpu' or 'tensorflow'. */
export function backendName(): string {
  return current?.backend ?? tf.getBackend();
}

/** The devices of the current session, `[{ name: '/device:CPU:0', type: 'CPU', backend }]`. */
export function listDevices(): DeviceSpec[] {
  if (current?.isOpen) return current.devices;
  return listDevicesFor({ backend: tf.getBackend(), gpu: false, gpuCount: 0 });
}
