import * as tf from '@tensorflow/tfjs-core';
import {
  type DataFormat,
  normalizeDataFormat,
  standardizeSpatialPairs,
} from '../convolutional/conv-utils.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';

export interface ZeroPaddingArgs extends LayerArgs {
  /** An int, one int per spatial axis (symmetric), or one `[before, after]` pair per axis. */
  padding?: number | (number | number[])[];
  dataFormat?: DataFormat | string | null;
}

/** Zero padding of the spatial axes of a rank `rank + 2` input (Keras ZeroPadding1D/2D/3D). */
export abstract class BaseZeroPadding extends Layer {
  readonly padding: [number, number][];
  readonly dataFormat: DataFormat;
  private readonly rank: number;

  protected constructor(args: ZeroPaddingArgs, rank: number) {
    super(args);
    this.rank = rank;
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    // ZeroPadding1D takes a single pair (`padding=(1, 2)`), the others one entry per axis.
    const raw = args.padding ?? 1;
    this.padding =
      rank === 1 && Array.isArray(raw) && raw.every((v) => typeof v === 'number')
        ? standardizeSpatialPairs([raw as number[]], 1, 'padding')
        : standardizeSpatialPairs(raw, rank, 'padding');
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get firstSpatialAxis(): number {
    return this.dataFormat === 'channels_last' ? 1 : 2;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const pads = x.shape.map((): [number, number] => [0, 0]);
    this.padding.forEach((p, i) => {
      pads[this.firstSpatialAxis + i] = p;
    });
    return tf.pad(x, pads);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const out = [...(inputShape as Shape)];
    this.padding.forEach(([before, after], i) => {
      const axis = this.firstSpatialAxis + i;
      const d = out[axis];
      if (d !== null && d !== undefined) out[axis] = d + before + after;
    });
    return out;
  }

  override getConfig(): Config {
    const padding =
      this.rank === 1
        ? [...(this.padding[0] as [number, number])]
        : this.padding.map((p) => [...p]);
    return { ...super.getConfig(), padding, data_format: this.dataFormat };
  }
}
