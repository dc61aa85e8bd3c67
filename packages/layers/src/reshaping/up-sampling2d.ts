import * as tf from '@tensorflow/tfjs-core';
import { inChannelsLast } from '../convolutional/conv-ops.js';
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

export interface UpSampling2DArgs extends LayerArgs {
  /** Row and column factors (default `[2, 2]`). */
  size?: number | number[];
  dataFormat?: DataFormat | string | null;
  /** `'nearest'` (repeat rows and columns) or `'bilinear'`. */
  interpolation?: 'nearest' | 'bilinear' | string;
}

/** Upsamples images by integer factors (Keras `UpSampling2D`). */
export class UpSampling2D extends Layer {
  static override className = 'UpSampling2D';
  readonly size: number[];
  readonly dataFormat: DataFormat;
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    this.size = standardizeTuple(args.size ?? 2, 2, 'size');
    const interpolation = (args.interpolation ?? 'nearest').toLowerCase();
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new Error(
        `Invalid value for \`interpolation\` of UpSampling2D: expected 'nearest' or 'bilinear'. ` +
          `Received: interpolation=${JSON.stringify(args.interpolation)}`,
      );
    }
    this.interpolation = interpolation;
    this.inputSpec = new InputSpec({ ndim: 4 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const [fh, fw] = this.size as [number, number];
    return inChannelsLast(x, this.dataFormat, (xl) => {
      if (this.interpolation === 'nearest') {
        return tf.tidy(() => repeatAlong(repeatAlong(xl, 1, fh), 2, fw));
      }
      // Keras resizes with half-pixel centers and no corner alignment (tf.image.resize in TF2).
      const [, h, w] = xl.shape as number[];
      return tf.image.resizeBilinear(
        xl as tf.Tensor4D,
        [(h as number) * fh, (w as number) * fw],
        false,
        true,
      );
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const spatial = spatialDims(shape, this.dataFormat).map((d, i) =>
      d === null ? null : d * (this.size[i] as number),
    );
    const channels = this.dataFormat === 'channels_last' ? shape[3] : shape[1];
    return assembleShape(shape[0] ?? null, spatial, channels ?? null, this.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      size: [...this.size],
      data_format: this.dataFormat,
      interpolation: this.interpolation,
    };
  }
}
