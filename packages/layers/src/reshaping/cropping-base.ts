import * as tf from '@tensorflow/tfjs-core';
import {
  type DataFormat,
  formatShape,
  normalizeDataFormat,
  standardizeSpatialPairs,
} from '../convolutional/conv-utils.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';

export interface CroppingArgs extends LayerArgs {
  /** An int, one int per spatial axis (symmetric), or one `[before, after]` pair per axis. */
  cropping?: number | (number | number[])[];
  /** Not used by Cropping1D, which Keras defines for channels_last only. */
  dataFormat?: DataFormat | string | null;
}

/** Crops the spatial axes of a rank `rank + 2` input (Keras Cropping1D/2D/3D). */
export abstract class BaseCropping extends Layer {
  readonly cropping: [number, number][];
  readonly dataFormat: DataFormat;
  private readonly rank: number;

  protected constructor(args: CroppingArgs, rank: number, defaultCrop: number) {
    super(args);
    this.rank = rank;
    this.dataFormat = rank === 1 ? 'channels_last' : normalizeDataFormat(args.dataFormat);
    const raw = args.cropping ?? defaultCrop;
    this.cropping =
      rank === 1 && Array.isArray(raw) && raw.every((v) => typeof v === 'number')
        ? standardizeSpatialPairs([raw as number[]], 1, 'cropping')
        : standardizeSpatialPairs(raw, rank, 'cropping');
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get firstSpatialAxis(): number {
    return this.dataFormat === 'channels_last' ? 1 : 2;
  }

  private checkShape(shape: readonly (number | null)[]): void {
    this.cropping.forEach(([before, after], i) => {
      const d = shape[this.firstSpatialAxis + i];
      if (d !== null && d !== undefined && before + after >= d) {
        throw new Error(
          `Values in \`cropping\` of layer "${this.name}" should be smaller than the corresponding ` +
            `spatial dimension of the input. Received: input_shape=${formatShape(shape)}, ` +
            `cropping=${formatShape(this.cropping.flat())}`,
        );
      }
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    this.checkShape(x.shape);
    const begin = x.shape.map(() => 0);
    const size = [...x.shape];
    this.cropping.forEach(([before, after], i) => {
      const axis = this.firstSpatialAxis + i;
      begin[axis] = before;
      size[axis] = (x.shape[axis] as number) - before - after;
    });
    return tf.slice(x, begin, size);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    this.checkShape(shape);
    const out = [...shape];
    this.cropping.forEach(([before, after], i) => {
      const axis = this.firstSpatialAxis + i;
      const d = out[axis];
      if (d !== null && d !== undefined) out[axis] = d - before - after;
    });
    return out;
  }

  override getConfig(): Config {
    if (this.rank === 1) {
      return { ...super.getConfig(), cropping: [...(this.cropping[0] as [number, number])] };
    }
    return {
      ...super.getConfig(),
      cropping: this.cropping.map((p) => [...p]),
      data_format: this.dataFormat,
    };
  }
}
