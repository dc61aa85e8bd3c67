import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release } from './kernel-utils.js';

/**
 * out[s, ...] = sum of x[i, ...] over the i with segmentIds[i] = s. segmentIds covers x's
 * leading axes; ScatterNd (a wasm kernel) sums rows that land on the same segment.
 */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const ids = inputs.segmentIds as TensorInfo;
  const numSegments = (attrs as NamedAttrMap).numSegments as number;
  const idRank = ids.shape.length;
  const count = ids.shape.reduce((p, d) => p * d, 1);
  const rest = x.shape.slice(idRank);
  const idsInt =
    ids.dtype === 'int32'
      ? ids
      : callKernel('Cast', 'wasm', backend, { x: ids }, { dtype: 'int32' });
  const indices = callKernel('Reshape', 'wasm', backend, { x: idsInt }, { shape: [count, 1] });
  const updates = callKernel('Reshape', 'wasm', backend, { x }, { shape: [count, ...rest] });
  const out = callKernel(
    'ScatterNd',
    'wasm',
    backend,
    { indices, updates },
    {
      shape: [numSegments, ...rest],
    },
  );
  release(backend, indices, updates);
  if (idsInt !== ids) release(backend, idsInt);
  return out;
};

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
