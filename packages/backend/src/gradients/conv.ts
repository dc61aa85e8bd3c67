import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { attr, savedAt, single } from './helpers.js';
import { activationGrad, biasGrad } from './matmul.js';

const run = (kernel: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor =>
  tf.engine().runKernel(kernel, inputs, attrs) as Tensor;

/** Dilation rates as a list of `n` spatial rates (attrs hold a number or a list). */
export function rates(d: unknown, n: number): number[] {
  if (d == null) return new Array<number>(n).fill(1);
  if (Array.isArray(d)) {
    // Conv3D's dilations may be given with the batch/channel entries (length 5).
    return d.length === n ? (d as number[]) : (d as number[]).slice(1, 1 + n);
  }
  return new Array<number>(n).fill(d as number);
}

/**
 * A filter with its taps spread `rate` apart (zeros between): a conv with dilation d equals a
 * conv with this filter and dilation 1, which lets the dilation-free backprop kernels serve.
 */
export function dilateFilter(filter: Tensor, spatialRates: number[]): Tensor {
  // One axis at a time keeps every op at rank <= 6 (the wasm PadV2 mishandles rank 8).
  let out = filter;
  spatialRates.forEach((r, axis) => {
    if (r === 1) return;
    const shape = out.shape;
    const k = shape[axis] as number;
    const split = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
    const pads = split.map((_, i): [number, number] => (i === axis + 1 ? [0, r - 1] : [0, 0]));
    const wide = tf.reshape(
      tf.pad(tf.reshape(out, split), pads),
      shape.map((d, i) => (i === axis ? d * r : d)),
    );
    const size = shape.map((d, i) => (i === axis ? (k - 1) * r + 1 : d));
    out = tf.slice(wide, new Array<number>(wide.rank).fill(0), size);
  });
  return out;
}

/** Picks every rate-th tap of a gradient taken w.r.t. a dilated filter. */
function undilate(grad: Tensor, spatialRates: number[]): Tensor {
  if (spatialRates.every((r) => r === 1)) return grad;
  const strides = [...spatialRates, ...new Array<number>(grad.rank - spatialRates.length).fill(1)];
  return tf.stridedSlice(grad, new Array<number>(grad.rank).fill(0), grad.shape, strides);
}

/** dx and dfilter of a 2-D convolution (Conv2D, the conv part of FusedConv2D). */
function conv2dGrads(dy: Tensor, x: Tensor, filter: Tensor, attrs: NamedAttrMap) {
  const r = rates(attrs.dilations, 2);
  const common = {
    strides: attrs.strides,
    pad: attrs.pad,
    dataFormat: attrs.dataFormat ?? 'NHWC',
    dimRoundingMode: attrs.dimRoundingMode,
  } as unknown as NamedAttrMap;
  return {
    x: () =>
      run(
        'Conv2DBackpropInput',
        { dy, filter: dilateFilter(filter, r) },
        {
          ...common,
          inputShape: x.shape,
        },
      ),
    filter: () => {
      const wide = dilateFilter(filter, r);
      const g = run('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: wide.shape });
      return undilate(g, r);
    },
  };
}

/** dx and dfilter of a depthwise convolution; its backprop kernels take dilations directly. */
function depthwiseGrads(dy: Tensor, x: Tensor, filter: Tensor, attrs: NamedAttrMap) {
  const common = {
    strides: attrs.strides,
    pad: attrs.pad,
    dilations: attrs.dilations ?? 1,
    dimRoundingMode: attrs.dimRoundingMode,
  } as unknown as NamedAttrMap;
  return {
    x: () =>
      run('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...common, inputShape: x.shape }),
    filter: () =>
      run(
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        {
          ...common,
          filterShape: filter.shape,
        },
      ),
  };
}

/** dx and dfilter of a 3-D convolution (NDHWC). */
function conv3dGrads(dy: Tensor, x: Tensor, filter: Tensor, attrs: NamedAttrMap) {
  const r = rates(attrs.dilations, 3);
  const common = { strides: attrs.strides, pad: attrs.pad } as unknown as NamedAttrMap;
  return {
    x: () =>
      run(
        'Conv3DBackpropInputV2',
        { dy, filter: dilateFilter(filter, r) },
        {
          ...common,
          inputShape: x.shape,
        },
      ),
    filter: () => {
      const wide = dilateFilter(filter, r);
      const g = run('Conv3DBackpropFilterV2', { x, dy }, { ...common, filterShape: wide.shape });
      return undilate(g, r);
    },
  };
}

function channelAxis(attrs: NamedAttrMap, rank: number): number {
  return attr<string | undefined>(attrs, 'dataFormat') === 'NCHW' ? 1 : rank - 1;
}

export const convGradients: GradConfig[] = [
  {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) =>
      conv2dGrads(single(dy), savedAt(saved, 0, 'Conv2D'), savedAt(saved, 1, 'Conv2D'), attrs),
  },
  {
    kernelName: 'FusedConv2D',
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dyIn, saved, attrs) => {
      const y = savedAt(saved, 2, 'FusedConv2D');
      const dyAct = activationGrad(single(dyIn), y, attrs);
      return {
        ...conv2dGrads(
          dyAct,
          savedAt(saved, 0, 'FusedConv2D'),
          savedAt(saved, 1, 'FusedConv2D'),
          attrs,
        ),
        bias: () => biasGrad(dyAct, channelAxis(attrs, dyAct.rank)),
      };
    },
  },
  {
    // Conv2DTranspose's forward kernel: y = convT(dy_in, filter).
    kernelName: 'Conv2DBackpropInput',
    inputsToSave: ['dy', 'filter'],
    gradFunc: (gIn, saved, attrs) => {
      const g = single(gIn);
      const dy = savedAt(saved, 0, 'Conv2DBackpropInput');
      const filter = savedAt(saved, 1, 'Conv2DBackpropInput');
      const common = {
        strides: attrs.strides,
        pad: attrs.pad,
        dataFormat: attrs.dataFormat ?? 'NHWC',
        dimRoundingMode: attrs.dimRoundingMode,
      } as unknown as NamedAttrMap;
      return {
        dy: () => run('Conv2D', { x: g, filter }, { ...common, dilations: 1 }),
        filter: () =>
          run('Conv2DBackpropFilter', { x: g, dy }, { ...common, filterShape: filter.shape }),
      };
    },
  },
  {
    kernelName: 'DepthwiseConv2dNative',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) =>
      depthwiseGrads(
        single(dy),
        savedAt(saved, 0, 'DepthwiseConv2dNative'),
        savedAt(saved, 1, 'DepthwiseConv2dNative'),
        attrs,
      ),
  },
  {
    kernelName: 'FusedDepthwiseConv2D',
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dyIn, saved, attrs) => {
      const y = savedAt(saved, 2, 'FusedDepthwiseConv2D');
      const dyAct = activationGrad(single(dyIn), y, attrs);
      return {
        ...depthwiseGrads(
          dyAct,
          savedAt(saved, 0, 'FusedDepthwiseConv2D'),
          savedAt(saved, 1, 'FusedDepthwiseConv2D'),
          attrs,
        ),
        bias: () => biasGrad(dyAct),
      };
    },
  },
  {
    kernelName: 'Conv3D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) =>
      conv3dGrads(single(dy), savedAt(saved, 0, 'Conv3D'), savedAt(saved, 1, 'Conv3D'), attrs),
  },
  {
    kernelName: 'Conv3DBackpropInputV2',
    inputsToSave: ['dy', 'filter'],
    gradFunc: (gIn, saved, attrs) => {
      const g = single(gIn);
      const dy = savedAt(saved, 0, 'Conv3DBackpropInputV2');
      const filter = savedAt(saved, 1, 'Conv3DBackpropInputV2');
      const common = { strides: attrs.strides, pad: attrs.pad } as unknown as NamedAttrMap;
      return {
        dy: () =>
          run('Conv3D', { x: g, filter }, { ...common, dataFormat: 'NDHWC', dilations: [1, 1, 1] }),
        filter: () =>
          run('Conv3DBackpropFilterV2', { x: g, dy }, { ...common, filterShape: filter.shape }),
      };
    },
  },
];
