import { imageDataFormat } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';

/** Flattens all but the batch axis; `channels_first` input is made channels-last first, like Keras. */
export class Flatten extends Layer {
  static override className = 'Flatten';
  readonly dataFormat: 'channels_last' | 'channels_first';

  constructor(args: LayerArgs & { dataFormat?: 'channels_last' | 'channels_first' | null } = {}) {
    super(args);
    const format = args.dataFormat ?? imageDataFormat();
    if (format !== 'channels_last' && format !== 'channels_first') {
      throw new Error(
        `Received an invalid value for "dataFormat", expected 'channels_last' or 'channels_first'. Received: dataFormat=${JSON.stringify(args.dataFormat)}`,
      );
    }
    this.dataFormat = format;
    this.inputSpec = new InputSpec({ minNdim: 1 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.tidy(() => {
      let y = x;
      if (this.dataFormat === 'channels_first' && x.rank > 2) {
        const perm = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1];
        y = tf.transpose(x, perm);
      }
      const batch = x.shape[0] as number;
      const rest = x.shape.slice(1).reduce((p, d) => p * d, 1);
      return tf.reshape(y, [batch, rest]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const rest = shape.slice(1);
    const size = rest.some((d) => d === null)
      ? null
      : rest.reduce<number>((p, d) => p * (d as number), 1);
    return [shape[0] ?? null, size];
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
