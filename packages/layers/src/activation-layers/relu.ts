import type * as tf from '@tensorflow/tfjs-core';
import { relu } from '../activations/functions.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';

export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output; `null` for none. */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs at or below this are on the negative side (default 0). */
  threshold?: number;
}

function checkNonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new Error(
      `${name} of a ReLU layer cannot be None or a negative value. Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

/**
 * Keras `ReLU` layer: `max_value` for x >= max_value, x for threshold < x < max_value,
 * `negative_slope * (x - threshold)` otherwise.
 */
export class ReLU extends Layer {
  static override className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    const maxValue = args.maxValue ?? null;
    if (maxValue !== null) checkNonNegative('max_value', maxValue);
    this.maxValue = maxValue;
    this.negativeSlope = checkNonNegative('negative_slope', args.negativeSlope ?? 0);
    this.threshold = checkNonNegative('threshold', args.threshold ?? 0);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return relu(x, {
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      max_value: this.maxValue,
      negative_slope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}
