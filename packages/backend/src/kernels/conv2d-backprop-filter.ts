import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, release } from './kernel-utils.js';
import { channelFirstTaps } from './patches.js';

export type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];

/** Explicit NCHW paddings list H and W at positions 2 and 3; the NHWC math wants 1 and 2. */
export function channelsLastPad(pad: unknown, dataFormat: unknown): Pad {
  if (Array.isArray(pad) && dataFormat === 'NCHW') {
    const p = pad as [number, number][];
    return [p[0], p[2], p[3], p[1]] as Pad;
  }
  return pad as Pad;
}

/** Moves NCHW data to NHWC (a no-op for NHWC) so the kernels below handle one layout. */
export function toChannelsLast(backend: unknown, t: TensorInfo, dataFormat: unknown): TensorInfo {
  if (dataFormat !== 'NCHW') return t;
  return callKernel('Transpose', 'wasm', backend, { x: t }, { perm: [0, 2, 3, 1] });
}

/**
 * dW[kh, kw, ci, co] = sum over (n, oh, ow) of window(x)[.., ci] * dy[.., co], computed as one
 * product of the channels-first windows `[KH*KW*CI, N*OH*OW]` with dy `[N*OH*OW, CO]`.
 */
const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as NamedAttrMap;
  const filterShape = a.filterShape as [number, number, number, number];
  const x = toChannelsLast(backend, inputs.x as TensorInfo, a.dataFormat);
  const dy = toChannelsLast(backend, inputs.dy as TensorInfo, a.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    a.strides as number | [number, number],
    1,
    channelsLastPad(a.pad, a.dataFormat),
    a.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const [kh, kw, ci, co] = filterShape;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const taps = channelFirstTaps(backend, x, info);
  const windows =
    taps.length === 1
      ? (taps[0] as TensorInfo)
      : callKernel('Concat', 'wasm', backend, taps as never, { axis: 0 });
  if (taps.length > 1) release(backend, ...taps);
  const lhs = callKernel(
    'Reshape',
    'wasm',
    backend,
    { x: windows },
    { shape: [1, kh * kw * ci, rows] },
  );
  const rhs = callKernel('Reshape', 'wasm', backend, { x: dy }, { shape: [1, rows, co] });
  const product = callKernel(
    'BatchMatMul',
    'wasm',
    backend,
    { a: lhs, b: rhs },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  const out = callKernel('Reshape', 'wasm', backend, { x: product }, { shape: filterShape });
  release(backend, windows, lhs, rhs, product);
  if (x !== inputs.x) release(backend, x);
  if (dy !== inputs.dy) release(backend, dy);
  return out;
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
