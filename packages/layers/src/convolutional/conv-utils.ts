/**
 * Argument validation and shape arithmetic shared by the convolution, pooling, padding, cropping and
 * up-sampling layers. Everything here is plain numbers: no tensors, so it is cheap to call from
 * constructors and `computeOutputShape`.
 */
import { imageDataFormat } from '@keras-ts/backend';
import { formatShape } from '../engine/types.js';

export { formatShape };

export type DataFormat = 'channels_last' | 'channels_first';
export type ConvPadding = 'valid' | 'same' | 'causal';
/** A shape as layers see it: `null` for an unknown dimension (usually the batch). */
export type ShapeLike = readonly (number | null)[];

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `(${value.map(formatValue).join(', ')})`;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

/**
 * Keras's `standardize_data_format`: `null`/`undefined` means the global `imageDataFormat()`.
 * The camelCase spellings are accepted too, since the public API accepts both.
 */
export function normalizeDataFormat(value: string | null | undefined): DataFormat {
  if (value === null || value === undefined) return imageDataFormat();
  const lower = value.toLowerCase();
  if (lower === 'channels_last' || lower === 'channelslast') return 'channels_last';
  if (lower === 'channels_first' || lower === 'channelsfirst') return 'channels_first';
  throw new Error(
    `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. ` +
      `Received: data_format=${formatValue(value)}`,
  );
}

/**
 * Keras's `standardize_tuple`: an int becomes an `n`-tuple; a list must have `n` integers, each
 * positive (or non-negative with `allowZero`).
 */
export function standardizeTuple(
  value: number | readonly number[],
  n: number,
  name: string,
  { allowZero = false }: { allowZero?: boolean } = {},
): number[] {
  const message = `The \`${name}\` argument must be a tuple of ${n} integers. Received ${name}=${formatValue(value)}`;
  let tuple: number[];
  if (typeof value === 'number') {
    tuple = new Array<number>(n).fill(value);
  } else if (Array.isArray(value)) {
    if (value.length !== n) throw new Error(message);
    tuple = [...value];
  } else {
    throw new Error(message);
  }
  for (const v of tuple) {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new Error(`${message}, including element ${formatValue(v)} that is not an integer`);
    }
  }
  const bad = tuple.filter((v) => (allowZero ? v < 0 : v <= 0));
  if (bad.length > 0) {
    throw new Error(
      `${message}, including values {${[...new Set(bad)].join(', ')}} that do not satisfy \`value ${allowZero ? '>= 0' : '> 0'}\``,
    );
  }
  return tuple;
}

/** Keras's `standardize_padding`: case-insensitive `'valid'`/`'same'` (and `'causal'` for Conv1D). */
export function standardizePadding(
  value: string,
  { allowCausal = false }: { allowCausal?: boolean } = {},
): ConvPadding {
  const allowed: ConvPadding[] = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const lower = typeof value === 'string' ? value.toLowerCase() : value;
  if (!allowed.includes(lower as ConvPadding)) {
    throw new Error(
      `The \`padding\` argument must be one of {${allowed.map((a) => `'${a}'`).join(', ')}}. ` +
        `Received: padding=${formatValue(value)}`,
    );
  }
  return lower as ConvPadding;
}

/** Index of the channel axis for an input of rank `rank` (inputs include the batch axis). */
export function channelAxis(dataFormat: DataFormat, rank: number): number {
  return dataFormat === 'channels_last' ? rank - 1 : 1;
}

/** The spatial dimensions of a shape (without batch and channels). */
export function spatialDims(shape: ShapeLike, dataFormat: DataFormat): (number | null)[] {
  return dataFormat === 'channels_last' ? shape.slice(1, -1) : shape.slice(2);
}

/** Reassembles a shape from batch, spatial dimensions and channels in the layer's data format. */
export function assembleShape(
  batch: number | null,
  spatial: readonly (number | null)[],
  channels: number | null,
  dataFormat: DataFormat,
): (number | null)[] {
  return dataFormat === 'channels_last'
    ? [batch, ...spatial, channels]
    : [batch, channels, ...spatial];
}

/**
 * Output length of one spatial dimension of a convolution or pooling window, TF/Keras semantics:
 * 'valid' keeps only full windows, 'same' and 'causal' keep ceil(length / stride) positions.
 */
export function convOutputLength(
  length: number | null,
  {
    kernelSize,
    stride,
    padding,
    dilation = 1,
  }: { kernelSize: number; stride: number; padding: ConvPadding; dilation?: number },
): number | null {
  if (length === null) return null;
  if (padding === 'valid') {
    const effective = dilation * (kernelSize - 1) + 1;
    return Math.floor((length - effective) / stride) + 1;
  }
  return Math.floor((length - 1) / stride) + 1;
}

/** Conv1D 'causal': pad `dilation * (kernel - 1)` zeros before the sequence, none after. */
export function causalPadding(kernelSize: number, dilation: number): [number, number] {
  return [dilation * (kernelSize - 1), 0];
}

/** Keras's `compute_conv_output_shape`, including its error for a non-positive output. */
export function computeConvOutputShape(
  inputShape: ShapeLike,
  {
    filters,
    kernelSize,
    strides,
    padding,
    dataFormat,
    dilationRate,
    layerName,
  }: {
    /** Output channels; `null` when unknown (a depthwise conv of an unknown channel count). */
    filters: number | null;
    kernelSize: readonly number[];
    strides: readonly number[];
    padding: ConvPadding;
    dataFormat: DataFormat;
    dilationRate: readonly number[];
    layerName: string;
  },
): (number | null)[] {
  const rank = kernelSize.length;
  if (inputShape.length !== rank + 2) {
    throw new Error(
      `Input 0 of layer "${layerName}" is incompatible with the layer: expected ndim=${rank + 2}, ` +
        `found ndim=${inputShape.length}. Full shape received: ${formatShape(inputShape)}`,
    );
  }
  const spatial = spatialDims(inputShape, dataFormat).map((len, i) =>
    convOutputLength(len, {
      kernelSize: kernelSize[i] as number,
      stride: strides[i] as number,
      padding,
      dilation: dilationRate[i] as number,
    }),
  );
  if (spatial.some((d) => d !== null && d <= 0)) {
    throw new Error(
      `Computed output size would be zero or negative in layer "${layerName}". Received ` +
        `\`inputs shape=${formatShape(inputShape)}\`, \`kernel_size=${formatValue(kernelSize)}\`, ` +
        `\`dilation_rate=${formatValue(dilationRate)}\`, \`strides=${formatValue(strides)}\`, ` +
        `\`padding=${padding}\`.`,
    );
  }
  return assembleShape(inputShape[0] ?? null, spatial, filters, dataFormat);
}

/**
 * Output length of a transposed convolution, Keras's `_get_output_shape_given_tf_padding`
 * (what `tf.nn.conv_transpose` is asked to produce under Keras's TF backend).
 */
export function convTransposeOutputLength(
  length: number | null,
  {
    kernelSize,
    stride,
    padding,
    outputPadding,
    dilation = 1,
  }: {
    kernelSize: number;
    stride: number;
    padding: 'valid' | 'same';
    outputPadding: number | null;
    dilation?: number;
  },
): number | null {
  if (length === null) return null;
  const effective = (kernelSize - 1) * dilation + 1;
  if (padding === 'valid') {
    const extra = outputPadding ?? Math.max(effective, stride) - effective;
    return (length - 1) * stride + effective + extra;
  }
  if (outputPadding === null) return length * stride;
  return (length - 1) * stride + (effective % 2) + outputPadding;
}

/** The permutation that moves the channel axis of a channels_first tensor to the end. */
export function toChannelsLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/** The inverse of `toChannelsLastPerm`. */
export function toChannelsFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/**
 * The `padding` / `cropping` argument of the N-D ZeroPadding and Cropping layers: an int (the same
 * amount on both sides of every axis), `n` ints (symmetric per axis), or `n` pairs.
 */
export function standardizeSpatialPairs(
  value: number | readonly (number | readonly number[])[],
  n: number,
  name: string,
): [number, number][] {
  const ordinal = ['1st', '2nd', '3rd'];
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`\`${name}\` cannot be negative or fractional. Received: ${name}=${value}.`);
    }
    return Array.from({ length: n }, (): [number, number] => [value, value]);
  }
  if (!Array.isArray(value) || value.length !== n) {
    throw new Error(
      `\`${name}\` should be either an int, a tuple of ${n} ints, or a tuple of ${n} tuples of 2 ints. ` +
        `Received: ${name}=${formatValue(value)}.`,
    );
  }
  return value.map((entry, i) => {
    const pair = standardizeTuple(entry as number | number[], 2, `${ordinal[i]} entry of ${name}`, {
      allowZero: true,
    });
    return [pair[0] as number, pair[1] as number];
  });
}
