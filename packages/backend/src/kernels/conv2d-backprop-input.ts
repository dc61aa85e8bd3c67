import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { channelsLastPad, toChannelsLast } from './conv2d-backprop-filter.js';
import { callKernel, release } from './kernel-utils.js';
import { spreadForTransposedConv } from './transposed-conv.js';

type Shape4 = [number, number, number, number];

/**
 * dx of a 2-D convolution (also Conv2DTranspose's forward pass) as one XNNPACK Conv2D: dy
 * spread by the stride and bordered, convolved with the filter flipped in space and with its
 * channel axes swapped. Replaces the stock wasm kernel, a direct loop several times slower.
 */
const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as NamedAttrMap;
  const channelsFirst = a.dataFormat === 'NCHW';
  const given = a.inputShape as Shape4;
  const inputShape: Shape4 = channelsFirst ? [given[0], given[2], given[3], given[1]] : given;
  const dy = toChannelsLast(backend, inputs.dy as TensorInfo, a.dataFormat);
  const filter = inputs.filter as TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as Shape4,
    a.strides as number | [number, number],
    1,
    channelsLastPad(a.pad, a.dataFormat),
    a.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const spread = spreadForTransposedConv(backend, dy, info);
  const flipped = callKernel('Reverse', 'wasm', backend, { x: filter }, { dims: [0, 1] });
  const swapped = callKernel('Transpose', 'wasm', backend, { x: flipped }, { perm: [0, 1, 3, 2] });
  const dxLast = callKernel(
    'Conv2D',
    'wasm',
    backend,
    { x: spread, filter: swapped },
    {
      strides: [1, 1],
      pad: 'valid',
      dilations: [1, 1],
      dataFormat: 'NHWC',
    },
  );
  release(backend, spread, flipped, swapped);
  if (dy !== inputs.dy) release(backend, dy);
  if (!channelsFirst) return dxLast;
  const dx = callKernel('Transpose', 'wasm', backend, { x: dxLast }, { perm: [0, 3, 1, 2] });
  release(backend, dxLast);
  return dx;
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
