import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { channelsLastPad } from './conv2d-backprop-filter.js';
import { callKernel, release } from './kernel-utils.js';
import { convWindows } from './patches.js';
import { spreadForTransposedConv } from './transposed-conv.js';

type Shape4 = [number, number, number, number];

function depthwiseInfo(xShape: Shape4, filterShape: Shape4, a: NamedAttrMap) {
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    a.strides as number | [number, number],
    (a.dilations ?? 1) as number | [number, number],
    channelsLastPad(a.pad, 'NHWC'),
    a.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    true,
  );
}

/**
 * dW[kh, kw, c, m] = sum over (n, oh, ow) of window(x)[.., c] * dy[.., c*M + m]: one batched
 * product per channel, windows `[C, KH*KW, R]` times dy `[C, R, M]` (R = N*OH*OW).
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as NamedAttrMap;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const filterShape = a.filterShape as Shape4;
  const [kh, kw, c, m] = filterShape;
  const info = depthwiseInfo(x.shape as Shape4, filterShape, a);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const windows = convWindows(backend, x, info);
  const w3 = callKernel('Reshape', 'wasm', backend, { x: windows }, { shape: [rows, c, kh * kw] });
  const lhs = callKernel('Transpose', 'wasm', backend, { x: w3 }, { perm: [1, 2, 0] });
  const dy3 = callKernel('Reshape', 'wasm', backend, { x: dy }, { shape: [rows, c, m] });
  const rhs = callKernel('Transpose', 'wasm', backend, { x: dy3 }, { perm: [1, 0, 2] });
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
  const tapMajor = callKernel('Transpose', 'wasm', backend, { x: product }, { perm: [1, 0, 2] });
  const out = callKernel('Reshape', 'wasm', backend, { x: tapMajor }, { shape: filterShape });
  release(backend, windows, w3, lhs, dy3, rhs, product, tapMajor);
  return out;
};

/**
 * dx of a depthwise conv: a stride-1 depthwise conv (XNNPACK) of the zero-spread dy with the
 * spatially flipped filter, over C*M channels, then a sum over the multiplier.
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as NamedAttrMap;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const inputShape = a.inputShape as Shape4;
  const [kh, kw, c, m] = filter.shape as Shape4;
  const info = depthwiseInfo(inputShape, filter.shape as Shape4, a);
  const spread = spreadForTransposedConv(backend, dy, info);
  const flipped = callKernel('Reverse', 'wasm', backend, { x: filter }, { dims: [0, 1] });
  const perChannel = callKernel(
    'Reshape',
    'wasm',
    backend,
    { x: flipped },
    { shape: [kh, kw, c * m, 1] },
  );
  const conv = callKernel(
    'DepthwiseConv2dNative',
    'wasm',
    backend,
    { x: spread, filter: perChannel },
    {
      strides: [1, 1],
      pad: 'valid',
      dilations: [info.dilationHeight, info.dilationWidth],
      dataFormat: 'NHWC',
    },
  );
  const split = callKernel('Reshape', 'wasm', backend, { x: conv }, { shape: [...inputShape, m] });
  const out = callKernel('Sum', 'wasm', backend, { x: split }, { axis: [4], keepDims: false });
  release(backend, spread, flipped, perChannel, conv, split);
  return out;
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
