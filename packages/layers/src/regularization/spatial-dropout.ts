import { imageDataFormat } from '@keras-ts/backend';
import type * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../engine/input-spec.js';
import type { LayerArgs } from '../engine/layer.js';
import type { Config } from '../engine/types.js';
import { Dropout } from './dropout.js';

export interface SpatialDropoutArgs extends LayerArgs {
  rate: number;
  seed?: number | null;
  dataFormat?: 'channels_last' | 'channels_first' | null;
}

function checkDataFormat(value: unknown): 'channels_last' | 'channels_first' {
  const v = value ?? imageDataFormat();
  if (v !== 'channels_last' && v !== 'channels_first') {
    throw new Error(
      `Received an invalid value for "dataFormat", expected 'channels_last' or 'channels_first'. Received: dataFormat=${JSON.stringify(value)}`,
    );
  }
  return v;
}

/** Drops whole feature maps (channels) instead of single elements. */
abstract class BaseSpatialDropout extends Dropout {
  constructor(args: SpatialDropoutArgs, ndim: number) {
    super({ ...args, noiseShape: null });
    this.inputSpec = new InputSpec({ ndim });
  }

  /** Keras writes a reduced config here: no `trainable`, dtype as a plain name. */
  override getConfig(): Config {
    return { rate: this.rate, seed: this.seed, name: this.name, dtype: this.dtypePolicy.name };
  }
}

/** Input `(batch, steps, channels)`: one keep/drop per (sample, channel). */
export class SpatialDropout1D extends BaseSpatialDropout {
  static override className = 'SpatialDropout1D';

  constructor(args: SpatialDropoutArgs) {
    super(args, 3);
  }

  protected override noiseShapeFor(x: tf.Tensor): number[] {
    return [x.shape[0] as number, 1, x.shape[2] as number];
  }
}

/** 4D input: one keep/drop per (sample, channel), on the axis `dataFormat` says. */
export class SpatialDropout2D extends BaseSpatialDropout {
  static override className = 'SpatialDropout2D';
  readonly dataFormat: 'channels_last' | 'channels_first';

  constructor(args: SpatialDropoutArgs) {
    super(args, 4);
    this.dataFormat = checkDataFormat(args.dataFormat);
  }

  protected override noiseShapeFor(x: tf.Tensor): number[] {
    const [b, d1, , d3] = x.shape as [number, number, number, number];
    return this.dataFormat === 'channels_first' ? [b, d1, 1, 1] : [b, 1, 1, d3];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}

/** 5D input: one keep/drop per (sample, channel), on the axis `dataFormat` says. */
export class SpatialDropout3D extends BaseSpatialDropout {
  static override className = 'SpatialDropout3D';
  readonly dataFormat: 'channels_last' | 'channels_first';

  constructor(args: SpatialDropoutArgs) {
    super(args, 5);
    this.dataFormat = checkDataFormat(args.dataFormat);
  }

  protected override noiseShapeFor(x: tf.Tensor): number[] {
    const [b, d1, , , d4] = x.shape as [number, number, number, number, number];
    return this.dataFormat === 'channels_first' ? [b, d1, 1, 1, 1] : [b, 1, 1, 1, d4];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
