import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { type CallArgs, type Config, formatShape, type Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { axisList, broadcastShape, canonicalizeAxes } from './axes.js';

export interface RMSNormalizationArgs extends LayerArgs {
  axis?: number | number[];
  /** Default 1e-6, as Keras. */
  epsilon?: number;
}

/** Keras `RMSNormalization`: x * rsqrt(mean(x^2) + epsilon) * scale over `axis`. */
export class RMSNormalization extends Layer {
  static override className = 'RMSNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  scale: LayerVariable | null = null;

  constructor(args: RMSNormalizationArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    axisList(axis);
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.epsilon = args.epsilon ?? 1e-6;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axes = canonicalizeAxes(axisList(this.axis), shape.length, this.name);
    const paramShape = axes.map((a) => shape[a]);
    if (paramShape.some((d) => d === null || d === undefined)) {
      throw new Error(
        `Layer "${this.name}" needs the normalised axes of its input to be defined. ` +
          `Received: input_shape=${formatShape(shape)}`,
      );
    }
    this.scale = this.addWeight({
      name: 'scale',
      shape: paramShape as number[],
      initializer: 'ones',
    });
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const axes = canonicalizeAxes(axisList(this.axis), x.rank, this.name);
    const scale = (this.scale as LayerVariable).read();
    return tf.tidy(() => {
      const rrms = tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), this.epsilon));
      return tf.mul(tf.mul(x, rrms), tf.reshape(scale, broadcastShape(x.shape, axes)));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    canonicalizeAxes(axisList(this.axis), shape.length, this.name);
    return [...shape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
    };
  }
}
