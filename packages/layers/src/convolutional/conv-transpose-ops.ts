/**
 * Transposed convolution in channels_last layout, with TF's (and so Keras's) output-size and
 * padding rules. 2-D runs on tfjs's conv2dTranspose; 1-D as 2-D over a height of 1. 3-D is written
 * as a stride-1 convolution of the zero-dilated input with the flipped kernel, because the wasm
 * backend's Conv3DBackpropInputV2 kernel returns wrong values (checked against the cpu backend).
 * Dilated kernels are expanded with zeros, which is exactly what dilation means.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FusedActivation } from './conv-ops.js';
import { convTransposeOutputLength } from './conv-utils.js';

export interface ConvTransposeOptions {
  strides: readonly number[];
  padding: 'valid' | 'same';
  outputPadding: readonly number[] | null;
  dilationRate: readonly number[];
  bias?: tf.Tensor | null;
  activation?: FusedActivation;
}

/**
 * Inserts `factor - 1` zeros between neighbouring entries along each given axis
 * (length L becomes (L - 1) * factor + 1). Built from expandDims/pad/reshape/slice, so gradients flow.
 */
export function dilateAlong(t: tf.Tensor, axes: readonly number[], factors: readonly number[]) {
  return tf.tidy(() => {
    let y = t;
    axes.forEach((axis, i) => {
      const factor = factors[i] as number;
      if (factor === 1) return;
      const len = y.shape[axis] as number;
      const expanded = tf.expandDims(y, axis + 1);
      const padSpec = expanded.shape.map((_, j): [number, number] =>
        j === axis + 1 ? [0, factor - 1] : [0, 0],
      );
      const shape = [...y.shape];
      shape[axis] = len * factor;
      const merged = tf.reshape(tf.pad(expanded, padSpec), shape);
      const size = [...shape];
      size[axis] = (len - 1) * factor + 1;
      y = tf.slice(merged, new Array<number>(shape.length).fill(0), size);
    });
    return y;
  });
}

/** Pads (positive) or crops (negative) each axis by the given before/after amounts. */
function padOrCrop(t: tf.Tensor, spec: [number, number][]): tf.Tensor {
  const pads = spec.map(([b, a]): [number, number] => [Math.max(b, 0), Math.max(a, 0)]);
  let y = pads.some(([b, a]) => b > 0 || a > 0) ? tf.pad(t, pads) : t;
  if (spec.some(([b, a]) => b < 0 || a < 0)) {
    const begin = spec.map(([b]) => Math.max(-b, 0));
    const size = y.shape.map(
      (d, i) => d - (begin[i] as number) - Math.max(-(spec[i]?.[1] ?? 0), 0),
    );
    y = tf.slice(y, begin, size);
  }
  return y;
}

/**
 * Generic transposed convolution as a forward convolution: dilate the input by the strides, pad
 * by (k - 1 - padBefore) before and enough after to reach `outLengths`, and correlate with the
 * spatially flipped kernel whose in/out channel axes are swapped.
 */
export function convTransposeViaConv(
  x: tf.Tensor,
  kernel: tf.Tensor,
  outLengths: readonly number[],
  strides: readonly number[],
  padding: 'valid' | 'same',
): tf.Tensor {
  return tf.tidy(() => {
    const rank = kernel.rank - 2;
    const spatialAxes = Array.from({ length: rank }, (_, i) => i + 1);
    const xd = dilateAlong(x, spatialAxes, strides);
    const spec: [number, number][] = [[0, 0]];
    for (let i = 0; i < rank; i++) {
      const k = kernel.shape[i] as number;
      const inLen = x.shape[i + 1] as number;
      const out = outLengths[i] as number;
      const s = strides[i] as number;
      // Padding TF's forward conv would use on an input of length `out` to produce `inLen`.
      const total = padding === 'same' ? Math.max((inLen - 1) * s + k - out, 0) : 0;
      const before = Math.floor(total / 2);
      const padBefore = k - 1 - before;
      const padAfter = out + k - 1 - padBefore - ((inLen - 1) * s + 1);
      spec.push([padBefore, padAfter]);
    }
    spec.push([0, 0]);
    const xp = padOrCrop(xd, spec);
    const kernelAxes = spatialAxes.map((a) => a - 1);
    const flipped = tf.reverse(kernel, kernelAxes);
    const perm = [...kernelAxes, rank + 1, rank];
    const k2 = tf.transpose(flipped, perm);
    if (rank === 3) return tf.conv3d(xp as tf.Tensor5D, k2 as tf.Tensor5D, 1, 'valid');
    if (rank === 2) return tf.conv2d(xp as tf.Tensor4D, k2 as tf.Tensor4D, 1, 'valid');
    throw new Error(`Transposed convolution of rank ${rank} is not supported here.`);
  });
}

/** The spatial output lengths Keras asks TF for (`compute_conv_transpose_output_shape`). */
export function convTransposeOutLengths(
  inLengths: readonly number[],
  kernelSize: readonly number[],
  opts: Pick<ConvTransposeOptions, 'strides' | 'padding' | 'outputPadding' | 'dilationRate'>,
): number[] {
  return inLengths.map(
    (len, i) =>
      convTransposeOutputLength(len, {
        kernelSize: kernelSize[i] as number,
        stride: opts.strides[i] as number,
        padding: opts.padding,
        outputPadding: opts.outputPadding ? (opts.outputPadding[i] as number) : null,
        dilation: opts.dilationRate[i] as number,
      }) as number,
  );
}

/**
 * Transposed convolution of a channels_last input with a kernel `[...kernelSize, filters, inChannels]`
 * (Keras's layout), plus bias and activation.
 */
export function convTransposeChannelsLast(
  x: tf.Tensor,
  kernel: tf.Tensor,
  opts: ConvTransposeOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = kernel.rank - 2;
    const spatialAxes = Array.from({ length: rank }, (_, i) => i);
    const kernelSize = kernel.shape.slice(0, rank);
    const outLengths = convTransposeOutLengths(x.shape.slice(1, -1), kernelSize, opts);
    const dilated = opts.dilationRate.some((d) => d > 1)
      ? dilateAlong(kernel, spatialAxes, opts.dilationRate)
      : kernel;
    const filters = kernel.shape[rank] as number;
    const batch = x.shape[0] as number;
    // tfjs (like TF) derives the padding from the output size and requires ceil(out / stride) to
    // give back the input size. Keras allows 'same' outputs that break this (an even kernel with
    // output_padding 0, say); its JAX and torch backends then pad as convTransposeViaConv does.
    const inLengths = x.shape.slice(1, -1);
    const tfShaped =
      opts.padding === 'valid' ||
      outLengths.every((o, i) => Math.ceil(o / (opts.strides[i] as number)) === inLengths[i]);
    let y: tf.Tensor;
    if (rank === 1) {
      const x2 = tf.expandDims(x, 1);
      const k2 = tf.expandDims(dilated, 0);
      const strides2 = [1, opts.strides[0] as number];
      y = tf.squeeze(
        tfShaped
          ? tf.conv2dTranspose(
              x2 as tf.Tensor4D,
              k2 as tf.Tensor4D,
              [batch, 1, outLengths[0] as number, filters],
              strides2 as [number, number],
              opts.padding,
            )
          : convTransposeViaConv(x2, k2, [1, outLengths[0] as number], strides2, opts.padding),
        [1],
      );
    } else if (rank === 2 && tfShaped) {
      y = tf.conv2dTranspose(
        x as tf.Tensor4D,
        dilated as tf.Tensor4D,
        [batch, outLengths[0] as number, outLengths[1] as number, filters],
        [opts.strides[0] as number, opts.strides[1] as number],
        opts.padding,
      );
    } else {
      y = convTransposeViaConv(x, dilated, outLengths, opts.strides, opts.padding);
    }
    if (opts.bias) y = tf.add(y, opts.bias);
    switch (opts.activation ?? 'linear') {
      case 'relu':
        return tf.relu(y);
      case 'relu6':
        return tf.relu6(y);
      case 'elu':
        return tf.elu(y);
      case 'sigmoid':
        return tf.sigmoid(y);
      default:
        return y;
    }
  });
}
