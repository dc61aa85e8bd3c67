import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, release } from './kernel-utils.js';
import { convWindows } from './patches.js';

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
 * dW[kh, kw, ci, co] = sum over (n, oh, ow) of window(x)[.., ci] * dy[.., co]: one product of
 * the windows `[R, CI*KH*KW]` and dy `[R, CO]` (R = N*OH*OW), transposing whichever operand is
 * smaller so the product itself runs on XNNPACK's plain (fast) path.
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
  const k = kh * kw * ci;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const windows = convWindows(backend, x, info);
  const p = callKernel('Reshape', 'wasm', backend, { x: windows }, { shape: [1, rows, k] });
  const d = callKernel('Reshape', 'wasm', backend, { x: dy }, { shape: [1, rows, co] });
  let out: TensorInfo;
  if (k <= co) {
    // [k, co] = P^T dy, rows ordered (ci, kh, kw).
    const prod = callKernel(
      'BatchMatMul',
      'wasm',
      backend,
      { a: p, b: d },
      { transposeA: true, transposeB: false },
    );
    const r = callKernel('Reshape', 'wasm', backend, { x: prod }, { shape: [ci, kh, kw, co] });
    out = callKernel('Transpose', 'wasm', backend, { x: r }, { perm: [1, 2, 0, 3] });
    release(backend, prod, r);
  } else {
    // [co, k] = dy^T P.
    const prod = callKernel(
      'BatchMatMul',
      'wasm',
      backend,
      { a: d, b: p },
      { transposeA: true, transposeB: false },
    );
    const r = callKernel('Reshape', 'wasm', backend, { x: prod }, { shape: [co, ci, kh, kw] });
    out = callKernel('Transpose', 'wasm', backend, { x: r }, { perm: [2, 3, 1, 0] });
    release(backend, prod, r);
  }
  release(backend, windows, p, d);
  if (x !== inputs.x) release(backend, x);
  if (dy !== inputs.dy) release(backend, dy);
  return out;
};

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
