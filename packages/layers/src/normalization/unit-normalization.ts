import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import { axisList, canonicalizeAxes } from './axes.js';

export interface UnitNormalizationArgs extends LayerArgs {
  axis?: number | number[];
}

/** Keras `UnitNormalization`: x / max(||x||_2, 1e-12) along `axis`. */
export class UnitNormalization extends Layer {
  static override className = 'UnitNormalization';
  /** As given: an int or a list, echoed back in the config the way Keras does. */
  readonly axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    axisList(axis);
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const axes = canonicalizeAxes(axisList(this.axis), x.rank, this.name);
    return tf.tidy(() => {
      const squareSum = tf.sum(tf.square(x), axes, true);
      return tf.mul(x, tf.rsqrt(tf.maximum(squareSum, 1e-24)));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    canonicalizeAxes(axisList(this.axis), shape.length, this.name);
    return [...shape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
