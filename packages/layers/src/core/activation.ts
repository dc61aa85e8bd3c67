import type * as tf from '@tensorflow/tfjs-core';
import type { ActivationFn } from '../activations/index.js';
import * as activations from '../activations/index.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';

export interface ActivationArgs extends LayerArgs {
  activation: activations.ActivationIdentifier;
}

/** Applies an activation function: `Activation({ activation: 'relu' })`. */
export class Activation extends Layer {
  static override className = 'Activation';
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args);
    if (args?.activation === undefined || args.activation === null) {
      throw new Error(
        `Received an invalid value for "activation", expected an activation name or function. Received: activation=${String(args?.activation)}`,
      );
    }
    this.activation = activations.get(args.activation);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return this.activation(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}
