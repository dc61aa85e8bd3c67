import * as tf from '@tensorflow/tfjs-core';
import {
  assembleShape,
  type DataFormat,
  normalizeDataFormat,
  spatialDims,
  standardizeTuple,
} from '../convolutional/conv-utils.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import { repeatAlong } from './up-sampling-ops.js';

export interface UpSampling3DArgs extends LayerArgs {
  /** Factors for the three spatial axes (default `[2, 2, 2]`). */
  size?: number | number[];
  dataFormat?: DataFormat | string | null;
}

/** Repeats volumes along their three spatial axes (Keras `UpSampling3D`, nearest neighbour). */
export class UpSampling3D extends Layer {
  static override className = 'UpSampling3D';
  readonly size: number[];
  readonly dataFormat: DataFormat;

  constructor(args: UpSampling3DArgs = {}) {
    super(args);
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    this.size = standardizeTuple(args.size ?? 2, 3, 'size');
    this.inputSpec = new InputSpec({ ndim: 5 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const offset = this.dataFormat === 'channels_last' ? 1 : 2;
    return tf.tidy(() => this.size.reduce((y, factor, i) => repeatAlong(y, offset + i, factor), x));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const spatial = spatialDims(shape, this.dataFormat).map((d, i) =>
      d === null ? null : d * (this.size[i] as number),
    );
    const channels = this.dataFormat === 'channels_last' ? shape[4] : shape[1];
    return assembleShape(shape[0] ?? null, spatial, channels ?? null, this.dataFormat);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), size: [...this.size], data_format: this.dataFormat };
  }
}
