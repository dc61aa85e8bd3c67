/**
 * A byte budget for live tensors, enforced the same way on every backend: each backend allocates
 * tensor storage through its `write` (uploads and kernel outputs alike), so the check sits there,
 * before the allocation. Refusing there throws before the engine records anything, which leaves
 * existing tensors and the engine's bookkeeping intact.
 */
import * as tf from '@tensorflow/tfjs-core';

export class ResourceExhaustedError extends Error {
  readonly budgetBytes: number;
  readonly usedBytes: number;
  readonly requestedBytes: number;

  constructor(args: {
    message: string;
    budgetBytes: number;
    usedBytes: number;
    requestedBytes: number;
  }) {
    super(args.message);
    // TF's name for an out-of-memory failure, so code written for TF recognises it.
    this.name = 'ResourceExhaustedError';
    this.budgetBytes = args.budgetBytes;
    this.usedBytes = args.usedBytes;
    this.requestedBytes = args.requestedBytes;
  }
}

export interface MemoryBudgetOptions {
  backendName: string;
  budgetBytes: number;
  /** How the budget was set, for the message: `memoryLimitBytes=1048576`. */
  budgetSource: string;
  /** Device named in the message, e.g. `/device:CPU:0`. */
  device: string;
  /** Guard the backend's `write` (default true): every backend but tfjs-node allocates there. */
  checkWrites?: boolean;
  /**
   * Also check each kernel's outputs after it ran, freeing them and throwing when they pass the
   * budget (default false). For tfjs-node, whose kernel outputs are allocated natively.
   */
  checkKernelOutputs?: boolean;
}

type WriteFn = (values: unknown, shape: number[], dtype: tf.DataType) => unknown;

function requestedBytes(values: unknown, shape: number[], dtype: tf.DataType): number {
  if (dtype === 'string') {
    if (!Array.isArray(values)) return 0;
    let total = 0;
    for (const v of values) total += (v as { length?: number }).length ?? 0;
    return total;
  }
  return tf.util.sizeFromShape(shape) * tf.util.bytesPerElement(dtype);
}

function oomError(args: {
  shape: number[] | string;
  dtype: string;
  bytes: number;
  used: number;
  options: MemoryBudgetOptions;
}): ResourceExhaustedError {
  const { shape, dtype, bytes, used, options } = args;
  const { backendName, budgetBytes, budgetSource, device } = options;
  const shapeText = typeof shape === 'string' ? shape : `[${shape.join(',')}]`;
  return new ResourceExhaustedError({
    message:
      `OOM when allocating tensor with shape ${shapeText} and type ${dtype} (${bytes} bytes) on ${device} (backend '${backendName}'): ` +
      `the memory budget is ${budgetBytes} bytes (${budgetSource}) and ${used} bytes are in use by live tensors. ` +
      'Dispose tensors you no longer need (tf.dispose, tf.tidy) or raise the budget.',
    budgetBytes,
    usedBytes: used,
    requestedBytes: bytes,
  });
}

/** Guards the backend's allocations; returns the function that removes the guard. */
export function installMemoryBudget(options: MemoryBudgetOptions): () => void {
  const { backendName, budgetBytes } = options;
  const backend = tf.engine().findBackend(backendName) as unknown as Record<string, unknown> | null;
  if (backend === null || typeof backend.write !== 'function') {
    throw new Error(
      `Cannot enforce a memory budget: backend '${backendName}' is not initialised. Received: backend=${backendName}`,
    );
  }
  const undo: (() => void)[] = [];
  if (options.checkWrites ?? true) {
    const hadOwn = Object.hasOwn(backend, 'write');
    const previous = backend.write as WriteFn;
    const guarded: WriteFn = function (this: unknown, values, shape, dtype) {
      const bytes = requestedBytes(values, shape, dtype);
      const used = tf.memory().numBytes;
      if (used + bytes > budgetBytes) throw oomError({ shape, dtype, bytes, used, options });
      return previous.call(this, values, shape, dtype);
    };
    backend.write = guarded;
    undo.push(() => {
      if (backend.write !== guarded) return;
      if (hadOwn) backend.write = previous;
      else delete backend.write;
    });
  }
  if (options.checkKernelOutputs) {
    undo.push(guardKernelOutputs(backend as unknown as tf.KernelBackend, options));
  }
  return () => {
    for (const u of undo.reverse()) u();
  };
}

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** Wraps the backend's kernels so outputs past the budget are freed and refused. */
function guardKernelOutputs(backend: tf.KernelBackend, options: MemoryBudgetOptions): () => void {
  const { backendName, budgetBytes } = options;
  const wrapped = new Map<string, { original: tf.KernelConfig; wrapper: KernelFunc }>();
  for (const config of tf.getKernelsForBackend(backendName)) {
    const inner = config.kernelFunc;
    const wrapper: KernelFunc = (args) => {
      // Outputs are not tracked by the engine until the kernel returns: this is the usage before.
      const used = tf.memory().numBytes;
      const result = inner(args);
      if (result instanceof Promise) return result;
      const outputs = Array.isArray(result) ? result : [result];
      let bytes = 0;
      for (const t of outputs) bytes += requestedBytes(null, t.shape, t.dtype);
      if (used + bytes > budgetBytes) {
        for (const t of outputs) backend.disposeData(t.dataId, true);
        const shape = outputs.map((t) => `[${t.shape.join(',')}]`).join(', ');
        throw oomError({
          shape: `${shape} (output of ${config.kernelName})`,
          dtype: outputs.map((t) => t.dtype).join(', '),
          bytes,
          used,
          options,
        });
      }
      return result;
    };
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({ ...config, kernelFunc: wrapper });
    wrapped.set(config.kernelName, { original: config, wrapper });
  }
  return () => {
    for (const [kernelName, { original, wrapper }] of wrapped) {
      if (tf.getKernel(kernelName, backendName)?.kernelFunc !== wrapper) continue;
      tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel(original);
    }
  };
}

/**
 * Memory the budget fraction is taken of, or undefined when the backend cannot report it:
 * the host's RAM for `cpu`, the wasm32 heap limit (or RAM, if smaller) for `wasm`. WebGPU and
 * tfjs-node expose no device memory size.
 */
export function deviceMemoryBytes(backendName: string): number | undefined {
  const total = hostMemoryBytes();
  if (backendName === 'cpu') return total;
  if (backendName === 'wasm') {
    // tfjs-backend-wasm's emscripten heap stops growing at 4 GiB - 64 KiB.
    const wasmHeapMax = 4294901760;
    return total === undefined ? wasmHeapMax : Math.min(total, wasmHeapMax);
  }
  return undefined;
}

function hostMemoryBytes(): number | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { totalmem?: () => number } | undefined;
  return os?.totalmem?.();
}
