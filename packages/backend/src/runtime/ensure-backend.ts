import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from '../gradients/register.js';
import { registerWasmTrainingKernels } from '../kernels/register.js';

// Importing the package is enough for tf.grad to work (package contract), not only ensureBackend.
registerGradients();
registerWasmTrainingKernels();

let ready: Promise<string> | null = null;

/**
 * Makes sure a tfjs backend is active before the first op runs. Packages and tests call this
 * instead of `tf.setBackend`, so the session machinery (setSession) stays the one owner of the
 * backend choice. Without an explicit session the Node default is `wasm`, then `cpu`.
 */
export function ensureBackend(preferred: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
  if (ready) return ready;
  ready = (async () => {
    registerGradients();
    registerWasmTrainingKernels();
    tf.enableProdMode();
    for (const name of [preferred, 'cpu']) {
      if (await tf.setBackend(name)) return name;
    }
    throw new Error('No tfjs backend could be initialised (tried wasm and cpu).');
  })();
  ready.catch(() => {
    ready = null;
  });
  return ready;
}

/** Forgets the cached initialisation, for a session switch. */
export function resetEnsureBackend(): void {
  ready = null;
}
