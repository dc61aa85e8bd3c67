/**
 * Convolution kernels for the conv layers, all in channels_last layout: the wasm backend only
 * implements NHWC/NDHWC, so channels_first layers transpose around these (see `inChannelsLast`).
 * 1-D convolutions run as 2-D ones over a height of 1, the way TF itself implements conv1d.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataFormat } from './conv-utils.js';
import { toChannelsFirstPerm, toChannelsLastPerm } from './conv-utils.js';

/** Activations tfjs can fuse into conv2d; anything else is applied by the layer afterwards. */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

export interface ConvOptions {
  strides: readonly number[];
  padding: 'valid' | 'same';
  dilationRate: readonly number[];
  groups?: number;
  bias?: tf.Tensor | null;
  activation?: FusedActivation;
}

/** Runs `fn` on the channels_last view of `x` and returns the result in the original layout. */
export function inChannelsLast(
  x: tf.Tensor,
  dataFormat: DataFormat,
  fn: (xLast: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  if (dataFormat === 'channels_last') return fn(x);
  return tf.tidy(() => {
    const y = fn(tf.transpose(x, toChannelsLastPerm(x.rank)));
    return tf.transpose(y, toChannelsFirstPerm(y.rank));
  });
}

function applyFusedActivation(y: tf.Tensor, activation: FusedActivation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return y;
    case 'relu':
      return tf.relu(y);
    case 'relu6':
      return tf.relu6(y);
    case 'elu':
      return tf.elu(y);
    case 'sigmoid':
      return tf.sigmoid(y);
  }
}

function pairs(values: readonly number[]): [number, number] {
  return [values[0] as number, values[1] as number];
}

function triples(values: readonly number[]): [number, number, number] {
  return [values[0] as number, values[1] as number, values[2] as number];
}

function convUngrouped(x: tf.Tensor, kernel: tf.Tensor, opts: ConvOptions): tf.Tensor {
  const activation = opts.activation ?? 'linear';
  const bias = opts.bias ?? undefined;
  const rank = kernel.rank - 2;
  if (rank === 1) {
    return tf.tidy(() => {
      const y = convUngrouped(tf.expandDims(x, 1), tf.expandDims(kernel, 0), {
        ...opts,
        strides: [1, opts.strides[0] as number],
        dilationRate: [1, opts.dilationRate[0] as number],
      });
      return tf.squeeze(y, [1]);
    });
  }
  if (rank === 2) {
    const dilations = pairs(opts.dilationRate);
    // The fused kernel's gradient rejects dilation > 1, so dilated convs take the plain path.
    if (dilations[0] === 1 && dilations[1] === 1) {
      return tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: kernel as tf.Tensor4D,
        strides: pairs(opts.strides),
        pad: opts.padding,
        dilations,
        bias,
        activation,
      });
    }
    return tf.tidy(() => {
      let y: tf.Tensor = tf.conv2d(
        x as tf.Tensor4D,
        kernel as tf.Tensor4D,
        pairs(opts.strides),
        opts.padding,
        'NHWC',
        dilations,
      );
      if (bias) y = tf.add(y, bias);
      return applyFusedActivation(y, activation);
    });
  }
  if (rank === 3) {
    return tf.tidy(() => {
      let y: tf.Tensor = tf.conv3d(
        x as tf.Tensor5D,
        kernel as tf.Tensor5D,
        triples(opts.strides),
        opts.padding,
        'NDHWC',
        triples(opts.dilationRate),
      );
      if (bias) y = tf.add(y, bias);
      return applyFusedActivation(y, activation);
    });
  }
  throw new Error(`Convolution of rank ${rank} is not supported; expected 1, 2 or 3.`);
}

/**
 * N-D convolution (cross-correlation, as Keras) of a channels_last input with a kernel of shape
 * `[...kernelSize, inChannels / groups, filters]`, plus bias and a fusable activation.
 * Grouped convolutions run one convolution per group and concatenate, since tfjs has none.
 */
export function convChannelsLast(x: tf.Tensor, kernel: tf.Tensor, opts: ConvOptions): tf.Tensor {
  const groups = opts.groups ?? 1;
  if (groups === 1) return convUngrouped(x, kernel, opts);
  return tf.tidy(() => {
    const xs = tf.split(x, groups, x.rank - 1);
    const ks = tf.split(kernel, groups, kernel.rank - 1);
    const parts = xs.map((xi, i) =>
      convUngrouped(xi, ks[i] as tf.Tensor, { ...opts, bias: null, activation: 'linear' }),
    );
    let y = tf.concat(parts, x.rank - 1);
    if (opts.bias) y = tf.add(y, opts.bias);
    return applyFusedActivation(y, opts.activation ?? 'linear');
  });
}

export interface DepthwiseOptions {
  strides: readonly number[];
  padding: 'valid' | 'same';
  dilationRate: readonly number[];
  bias?: tf.Tensor | null;
  activation?: FusedActivation;
}

/**
 * Depthwise convolution of a channels_last input with a kernel
 * `[...kernelSize, inChannels, depthMultiplier]`; output channel `c * multiplier + m`, like TF.
 */
export function depthwiseChannelsLast(
  x: tf.Tensor,
  kernel: tf.Tensor,
  opts: DepthwiseOptions,
): tf.Tensor {
  const rank = kernel.rank - 2;
  if (rank === 1) {
    return tf.tidy(() => {
      const y = depthwiseChannelsLast(tf.expandDims(x, 1), tf.expandDims(kernel, 0), {
        ...opts,
        strides: [1, opts.strides[0] as number],
        dilationRate: [1, opts.dilationRate[0] as number],
      });
      return tf.squeeze(y, [1]);
    });
  }
  if (rank !== 2) {
    throw new Error(`Depthwise convolution of rank ${rank} is not supported; expected 1 or 2.`);
  }
  const dilations = pairs(opts.dilationRate);
  const activation = opts.activation ?? 'linear';
  if (dilations[0] === 1 && dilations[1] === 1) {
    return tf.fused.depthwiseConv2d({
      x: x as tf.Tensor4D,
      filter: kernel as tf.Tensor4D,
      strides: pairs(opts.strides),
      pad: opts.padding,
      dilations,
      bias: opts.bias ?? undefined,
      activation,
    });
  }
  return tf.tidy(() => {
    let y: tf.Tensor = tf.depthwiseConv2d(
      x as tf.Tensor4D,
      kernel as tf.Tensor4D,
      pairs(opts.strides),
      opts.padding,
      'NHWC',
      dilations,
    );
    if (opts.bias) y = tf.add(y, opts.bias);
    return applyFusedActivation(y, activation);
  });
}
