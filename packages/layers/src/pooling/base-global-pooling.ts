import * as tf from '@tensorflow/tfjs-core';
import { type DataFormat, normalizeDataFormat } from '../convolutional/conv-utils.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';

export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: DataFormat | string | null;
  /** Keep the pooled spatial axes with length 1 (Keras `keepdims`, default false). */
  keepdims?: boolean;
}

/** Keras's `BaseGlobalPooling`: reduces every spatial axis with a max or a mean. */
export abstract class BaseGlobalPooling extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;
  protected readonly rank: number;

  protected constructor(args: GlobalPoolingArgs, rank: number) {
    super(args);
    this.rank = rank;
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    this.keepdims = args.keepdims ?? false;
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  /** The spatial axes of the input. */
  protected get spatialAxes(): number[] {
    const offset = this.dataFormat === 'channels_last' ? 1 : 2;
    return Array.from({ length: this.rank }, (_, i) => i + offset);
  }

  protected abstract reduce(x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor;

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const mask = args.mask instanceof tf.Tensor ? args.mask : null;
    return this.reduce(x, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const batch = shape[0] ?? null;
    const channels =
      (this.dataFormat === 'channels_last' ? shape[shape.length - 1] : shape[1]) ?? null;
    const ones = new Array<number>(this.rank).fill(1);
    if (this.dataFormat === 'channels_last') {
      return this.keepdims ? [batch, ...ones, channels] : [batch, channels];
    }
    return this.keepdims ? [batch, channels, ...ones] : [batch, channels];
  }

  override computeMask(): null {
    return null;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }
}
