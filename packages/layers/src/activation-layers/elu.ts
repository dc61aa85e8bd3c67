import type * as tf from '@tensorflow/tfjs-core';
import { elu } from '../activations/functions.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/** Keras `ELU` layer: x for x > 0, `alpha * (exp(x) - 1)` otherwise. */
export class ELU extends Layer {
  static override className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    const { alpha, ...rest } = args;
    super(rest);
    this.alpha = alpha ?? 1;
    if (typeof this.alpha !== 'number' || Number.isNaN(this.alpha)) {
      throw new Error(`Expected a number for \`alpha\` of ELU. Received: alpha=${String(alpha)}`);
    }
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return elu(x, this.alpha);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  /**
   * Keras 3's ELU writes no `alpha` (so its configs lose a non-default alpha); Keras 2 wrote it.
   * Writing it keeps the value across a round trip, and Keras 3 accepts the key when loading.
   */
  override getConfig(): Config {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
