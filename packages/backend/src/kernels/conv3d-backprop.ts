import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, release } from './kernel-utils.js';

type Shape5 = [number, number, number, number, number];

function info3d(xShape: Shape5, filterShape: Shape5, a: NamedAttrMap) {
  return tf.backend_util.computeConv3DInfo(
    xShape,
    filterShape,
    a.strides as number | [number, number, number],
    1,
    a.pad as 'valid' | 'same',
  );
}

/** Inserts stride-1 zeros between entries along one spatial axis (1..3) of a 5-D tensor. */
function spreadAxis(backend: unknown, t: TensorInfo, axis: number, stride: number): TensorInfo {
  if (stride === 1) return t;
  const shape = t.shape;
  const n = shape[axis] as number;
  const split = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
  const r = callKernel('Reshape', 'wasm', backend, { x: t }, { shape: split });
  const paddings = split.map((_, i) => (i === axis + 1 ? [0, stride - 1] : [0, 0]));
  const p = callKernel('PadV2', 'wasm', backend, { x: r }, { paddings, constantValue: 0 });
  const wide = [...shape];
  wide[axis] = n * stride;
  const w = callKernel('Reshape', 'wasm', backend, { x: p }, { shape: wide });
  const size = [...shape];
  size[axis] = (n - 1) * stride + 1;
  const out = callKernel('Slice', 'wasm', backend, { x: w }, { begin: [0, 0, 0, 0, 0], size });
  release(backend, r, p, w);
  return out;
}

/**
 * dx of a 3-D convolution as a stride-1 'valid' wasm Conv3D of the zero-spread, bordered dy
 * with the filter flipped in space and its channel axes swapped. Replaces the stock kernel,
 * which drops contributions (caught by the finite-difference tests).
 */
const conv3dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as NamedAttrMap;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const inputShape = a.inputShape as Shape5;
  const info = info3d(inputShape, filter.shape as Shape5, a);
  let spread = dy;
  const strides = [info.strideDepth, info.strideHeight, info.strideWidth];
  strides.forEach((s, i) => {
    const next = spreadAxis(backend, spread, i + 1, s);
    if (next !== spread && spread !== dy) release(backend, spread);
    spread = next;
  });
  const eff = [info.filterDepth, info.filterHeight, info.filterWidth];
  const padBefore = [info.padInfo.front, info.padInfo.top, info.padInfo.left];
  const inSizes = [info.inDepth, info.inHeight, info.inWidth];
  const before = eff.map((k, i) => k - 1 - (padBefore[i] as number));
  const after = eff.map(
    (k, i) =>
      (inSizes[i] as number) + k - 1 - (spread.shape[i + 1] as number) - (before[i] as number),
  );
  const paddings = [
    [0, 0],
    ...before.map((b, i) => [Math.max(0, b), Math.max(0, after[i] as number)]),
    [0, 0],
  ];
  const padded = callKernel(
    'PadV2',
    'wasm',
    backend,
    { x: spread },
    { paddings, constantValue: 0 },
  );
  if (spread !== dy) release(backend, spread);
  const crop = before.map((b, i) => [Math.max(0, -b), Math.max(0, -(after[i] as number))]);
  let input = padded;
  if (crop.some(([lo, hi]) => (lo as number) + (hi as number) > 0)) {
    const begin = [0, ...crop.map(([lo]) => lo as number), 0];
    const size = padded.shape.map((d, i) =>
      i === 0 || i === 4 ? d : d - ((crop[i - 1]?.[0] as number) + (crop[i - 1]?.[1] as number)),
    );
    input = callKernel('Slice', 'wasm', backend, { x: padded }, { begin, size });
    release(backend, padded);
  }
  const flipped = callKernel('Reverse', 'wasm', backend, { x: filter }, { dims: [0, 1, 2] });
  const swapped = callKernel(
    'Transpose',
    'wasm',
    backend,
    { x: flipped },
    { perm: [0, 1, 2, 4, 3] },
  );
  const dx = callKernel(
    'Conv3D',
    'wasm',
    backend,
    { x: input, filter: swapped },
    {
      strides: [1, 1, 1],
      pad: 'valid',
      dilations: [1, 1, 1],
      dataFormat: 'NDHWC',
    },
  );
  release(backend, input, flipped, swapped);
  return dx;
};

/**
 * dW of a 3-D convolution, one tap at a time: the strided slice of x that tap reads,
 * `[R, CI]`, times dy `[R, CO]` (R = N*OD*OH*OW), products stacked tap-major.
 */
const conv3dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as NamedAttrMap;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const filterShape = a.filterShape as Shape5;
  const info = info3d(x.shape as Shape5, filterShape, a);
  const [kd, kh, kw, ci, co] = filterShape;
  const { front, top, left, back, bottom, right } = info.padInfo;
  const padded = callKernel(
    'PadV2',
    'wasm',
    backend,
    { x },
    {
      paddings: [
        [0, 0],
        [front, back],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const rows = info.batchSize * info.outDepth * info.outHeight * info.outWidth;
  const d2 = callKernel('Reshape', 'wasm', backend, { x: dy }, { shape: [1, rows, co] });
  const out = [info.outDepth, info.outHeight, info.outWidth];
  const st = [info.strideDepth, info.strideHeight, info.strideWidth];
  const products: TensorInfo[] = [];
  for (let i = 0; i < kd; i++) {
    for (let j = 0; j < kh; j++) {
      for (let k = 0; k < kw; k++) {
        const start = [i, j, k];
        const tap = callKernel(
          'StridedSlice',
          'wasm',
          backend,
          { x: padded },
          {
            begin: [0, ...start, 0],
            end: [
              info.batchSize,
              ...start.map((s, d) => s + ((out[d] as number) - 1) * (st[d] as number) + 1),
              ci,
            ],
            strides: [1, ...st, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          },
        );
        const t2 = callKernel('Reshape', 'wasm', backend, { x: tap }, { shape: [1, rows, ci] });
        products.push(
          callKernel(
            'BatchMatMul',
            'wasm',
            backend,
            { a: t2, b: d2 },
            { transposeA: true, transposeB: false },
          ),
        );
        release(backend, tap, t2);
      }
    }
  }
  const stacked = callKernel('Concat', 'wasm', backend, products as never, { axis: 0 });
  const result = callKernel('Reshape', 'wasm', backend, { x: stacked }, { shape: filterShape });
  release(backend, padded, d2, stacked, ...products);
  return result;
};

export const conv3dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv3DBackpropInputV2',
  backendName: 'wasm',
  kernelFunc: conv3dBackpropInput,
};

export const conv3dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv3DBackpropFilterV2',
  backendName: 'wasm',
  kernelFunc: conv3dBackpropFilter,
};
