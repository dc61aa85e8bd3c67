import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (Keras 3 default 0.3). */
  negativeSlope?: number;
  /** Keras 2's name for `negativeSlope` (its configs write `alpha`). */
  alpha?: number;
}

/** Keras `LeakyReLU`: x for x >= 0, `negative_slope * x` otherwise. */
export class LeakyReLU extends Layer {
  static override className = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    const { alpha, negativeSlope, ...rest } = args;
    super(rest);
    const slope = alpha ?? negativeSlope ?? 0.3;
    if (typeof slope !== 'number' || Number.isNaN(slope) || slope < 0) {
      throw new Error(
        'The negative_slope value of a Leaky ReLU layer cannot be None or negative value. ' +
          `Expected a float. Received: negative_slope=${String(slope)}`,
      );
    }
    this.negativeSlope = slope;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.leakyRelu(x, this.negativeSlope);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), negative_slope: this.negativeSlope };
  }
}
