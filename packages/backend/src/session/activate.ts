/**
 * Activation goes through the runtime's ensureBackend, so the gradient and training-kernel
 * registration it performs happens for sessions too, and later `ensureBackend()` calls from
 * other packages find the session's backend already chosen instead of switching back to wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend, resetEnsureBackend } from '../runtime/ensure-backend.js';
import type { BackendName } from './backends.js';

// ensureBackend activates whatever registered name it is given; its declared parameter covers
// the two built-in backends only, so the session widens it for tensorflow/webgpu.
const ensure = ensureBackend as unknown as (preferred: string) => Promise<string>;

/** Activates `name`; true when it is the active backend afterwards. */
export async function activateBackend(name: BackendName): Promise<boolean> {
  resetEnsureBackend();
  try {
    const active = await ensure(name);
    return active === name && tf.getBackend() === name;
  } catch {
    resetEnsureBackend();
    return false;
  }
}
