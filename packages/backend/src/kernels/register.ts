import { registerFastMatMul } from './fast-matmul.js';

let registered = false;

/**
 * Installs the wasm training kernels once. Runs before the wasm backend initialises so the
 * wrapped kernels' setup functions (which bind the wasm exports) run with the backend.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerFastMatMul();
}
