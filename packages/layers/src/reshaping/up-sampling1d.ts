import type * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import { repeatAlong } from './up-sampling-ops.js';

export interface UpSampling1DArgs extends LayerArgs {
  /** How many times each step is repeated (default 2). */
  size?: number;
}

/** Repeats each step of a `(batch, steps, features)` input `size` times (Keras `UpSampling1D`). */
export class UpSampling1D extends Layer {
  static override className = 'UpSampling1D';
  readonly size: number;

  constructor(args: UpSampling1DArgs = {}) {
    super(args);
    const size = args.size ?? 2;
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
      throw new Error(
        `Argument \`size\` should be a positive integer. Received: size=${JSON.stringify(size)}`,
      );
    }
    this.size = size;
    this.inputSpec = new InputSpec({ ndim: 3 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return repeatAlong(x, 1, this.size);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, steps, features] = inputShape as Shape;
    return [
      batch ?? null,
      steps === null || steps === undefined ? null : steps * this.size,
      features ?? null,
    ];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), size: this.size };
  }
}
