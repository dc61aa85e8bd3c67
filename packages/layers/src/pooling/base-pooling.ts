import type * as tf from '@tensorflow/tfjs-core';
import { inChannelsLast } from '../convolutional/conv-ops.js';
import {
  assembleShape,
  convOutputLength,
  type DataFormat,
  formatShape,
  normalizeDataFormat,
  spatialDims,
  standardizePadding,
  standardizeTuple,
} from '../convolutional/conv-utils.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import { type PoolMode, poolChannelsLast } from './pool-ops.js';

export interface PoolingArgs extends LayerArgs {
  /** Window size: an int or one int per spatial dimension. */
  poolSize?: number | number[];
  /** Step between windows; defaults to `poolSize`. */
  strides?: number | number[] | null;
  padding?: 'valid' | 'same' | string;
  dataFormat?: DataFormat | string | null;
}

/** Keras's `BasePooling`: max or average pooling over 1, 2 or 3 spatial dimensions. */
export abstract class BasePooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;
  private readonly mode: PoolMode;

  protected constructor(
    args: PoolingArgs,
    { rank, mode, defaultPoolSize }: { rank: number; mode: PoolMode; defaultPoolSize: number },
  ) {
    super(args);
    this.mode = mode;
    this.poolSize = standardizeTuple(args.poolSize ?? defaultPoolSize, rank, 'pool_size');
    this.strides = standardizeTuple(args.strides ?? this.poolSize, rank, 'strides');
    this.padding = standardizePadding(args.padding ?? 'valid') as 'valid' | 'same';
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    // Shape arithmetic only (no data read): a window larger than the input must be an error
    // here, before a wasm kernel reads out of bounds.
    this.computeOutputShape(x.shape);
    return inChannelsLast(x, this.dataFormat, (xl) =>
      poolChannelsLast(xl, {
        mode: this.mode,
        poolSize: this.poolSize,
        strides: this.strides,
        padding: this.padding,
      }),
    );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const spatial = spatialDims(shape, this.dataFormat).map((len, i) =>
      convOutputLength(len, {
        kernelSize: this.poolSize[i] as number,
        stride: this.strides[i] as number,
        padding: this.padding,
      }),
    );
    if (spatial.some((d) => d !== null && d <= 0)) {
      throw new Error(
        `Computed output size would be zero or negative in layer "${this.name}". Received: ` +
          `\`inputs.shape=${formatShape(shape)}\`, \`pool_size=${formatShape(this.poolSize)}\`, ` +
          `\`strides=${formatShape(this.strides)}\`, \`padding=${this.padding}\`.`,
      );
    }
    const channels = this.dataFormat === 'channels_last' ? shape[shape.length - 1] : shape[1];
    return assembleShape(shape[0] ?? null, spatial, channels ?? null, this.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      pool_size: [...this.poolSize],
      padding: this.padding,
      strides: [...this.strides],
      data_format: this.dataFormat,
    };
  }
}
