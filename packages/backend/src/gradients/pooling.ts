import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { savedAt, single } from './helpers.js';

const run = (kernel: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor =>
  tf.engine().runKernel(kernel, inputs, attrs) as Tensor;

function poolAttrs(attrs: NamedAttrMap): NamedAttrMap {
  return {
    filterSize: attrs.filterSize,
    strides: attrs.strides,
    pad: attrs.pad,
    dimRoundingMode: attrs.dimRoundingMode,
  } as NamedAttrMap;
}

/** MaxPool / MaxPool3D: the backend's grad kernel routes dy to each window's maximum. */
function maxPool(kernelName: string, gradKernel: string): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const input = savedAt(saved, 0, kernelName);
      const output = savedAt(saved, 1, kernelName);
      return { x: () => run(gradKernel, { dy: single(dy), input, output }, poolAttrs(attrs)) };
    },
  };
}

/**
 * How many real (unpadded) input cells each pooling window covers, per spatial output cell,
 * shaped to broadcast against dy. Average pooling divides by this count (TF semantics).
 */
function windowCounts(info: {
  inShape: number[];
  outShape: number[];
  filterSizes: number[];
  strides: number[];
  padBefore: number[];
}): Tensor {
  const { inShape, outShape, filterSizes, strides, padBefore } = info;
  const dims = outShape.length;
  const total = outShape.reduce((p, d) => p * d, 1);
  const counts = new Float32Array(total);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let count = 1;
    for (let d = dims - 1; d >= 0; d--) {
      const o = rest % (outShape[d] as number);
      rest = Math.floor(rest / (outShape[d] as number));
      const start = o * (strides[d] as number) - (padBefore[d] as number);
      const end = start + (filterSizes[d] as number);
      count *= Math.max(0, Math.min(inShape[d] as number, end) - Math.max(0, start));
    }
    counts[flat] = count;
  }
  return tf.tensor(counts, [1, ...outShape, 1]);
}

/**
 * AvgPool / AvgPool3D: the stock grad kernels divide by the full window area, while the
 * forward pass divides 'same'-padded border windows by their real cell count; rescaling dy by
 * area / count first makes the two agree.
 */
function avgPool(kernelName: 'AvgPool' | 'AvgPool3D', gradKernel: string): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const input = savedAt(saved, 0, kernelName);
      return {
        x: () => {
          const info =
            kernelName === 'AvgPool' ? poolInfo2d(input, attrs) : poolInfo3d(input, attrs);
          const area = info.filterSizes.reduce((p, d) => p * d, 1);
          const scaled = tf.mul(single(dy), tf.div(tf.scalar(area), windowCounts(info)));
          return run(gradKernel, { dy: scaled, input }, poolAttrs(attrs));
        },
      };
    },
  };
}

function poolInfo2d(x: Tensor, attrs: NamedAttrMap) {
  const i = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as 'valid' | 'same',
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  return {
    inShape: [i.inHeight, i.inWidth],
    outShape: [i.outHeight, i.outWidth],
    filterSizes: [i.filterHeight, i.filterWidth],
    strides: [i.strideHeight, i.strideWidth],
    padBefore: [i.padInfo.top, i.padInfo.left],
  };
}

function poolInfo3d(x: Tensor, attrs: NamedAttrMap) {
  const i = tf.backend_util.computePool3DInfo(
    x.shape as [number, number, number, number, number],
    attrs.filterSize as number | [number, number, number],
    attrs.strides as number | [number, number, number],
    1,
    attrs.pad as 'valid' | 'same',
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  return {
    inShape: [i.inDepth, i.inHeight, i.inWidth],
    outShape: [i.outDepth, i.outHeight, i.outWidth],
    filterSizes: [i.filterDepth, i.filterHeight, i.filterWidth],
    strides: [i.strideDepth, i.strideHeight, i.strideWidth],
    padBefore: [i.padInfo.front, i.padInfo.top, i.padInfo.left],
  };
}

/** Resize kernels: the backends' own grad kernels scatter dy back onto the source grid. */
function resize(kernelName: string, gradKernel: string): GradConfig {
  return {
    kernelName,
    inputsToSave: ['images'],
    gradFunc: (dy, saved, attrs) => {
      const images = savedAt(saved, 0, kernelName);
      return {
        images: () =>
          run(gradKernel, { images, dy: single(dy) }, {
            alignCorners: attrs.alignCorners,
            halfPixelCenters: attrs.halfPixelCenters,
          } as NamedAttrMap),
      };
    },
  };
}

export const poolingGradients: GradConfig[] = [
  maxPool('MaxPool', 'MaxPoolGrad'),
  maxPool('MaxPool3D', 'MaxPool3DGrad'),
  avgPool('AvgPool', 'AvgPoolGrad'),
  avgPool('AvgPool3D', 'AvgPool3DGrad'),
  resize('ResizeBilinear', 'ResizeBilinearGrad'),
  resize('ResizeNearestNeighbor', 'ResizeNearestNeighborGrad'),
];
