import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** The slice of a tfjs backend these kernels use: every backend frees data this way. */
export interface DisposingBackend {
  disposeData(dataId: object): boolean;
}

/**
 * Calls another kernel of the same backend directly (no engine bookkeeping, no tape), the way
 * backends compose kernels. Throws naming the kernel if the backend lacks it.
 */
export function callKernel(
  kernelName: string,
  backendName: string,
  backend: unknown,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = tf.getKernel(kernelName, backendName);
  if (config == null) {
    throw new Error(
      `Expected the ${backendName} backend to have kernel ${kernelName}; it has none.`,
    );
  }
  const run = config.kernelFunc as KernelFunc;
  return run({ inputs, backend: backend as never, attrs }) as TensorInfo;
}

/** Frees intermediate results a composed kernel no longer needs. */
export function release(backend: unknown, ...infos: (TensorInfo | null | undefined)[]): void {
  const b = backend as DisposingBackend;
  for (const info of infos) if (info != null) b.disposeData(info.dataId);
}

/** A permutation that swaps the last two axes of a rank-r tensor. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return perm;
}
