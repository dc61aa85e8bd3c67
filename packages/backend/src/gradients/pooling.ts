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

/** MaxPool / MaxPool3D: the backend's grad kernel routes dy to each window's argmax. */
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

/** AvgPool / AvgPool3D: dy spread evenly over each window. */
function avgPool(kernelName: string, gradKernel: string): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const input = savedAt(saved, 0, kernelName);
      return { x: () => run(gradKernel, { dy: single(dy), input }, poolAttrs(attrs)) };
    },
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
