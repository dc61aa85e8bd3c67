import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import {
  type CallArgs,
  type Config,
  type DType,
  formatShape,
  type Shape,
} from '../engine/types.js';

/** Reshapes each sample to `targetShape` (one entry may be -1, inferred). */
export class Reshape extends Layer {
  static override className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: LayerArgs & { targetShape: number[] }) {
    super(args);
    const target = args?.targetShape;
    const valid =
      Array.isArray(target) &&
      target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) &&
      target.filter((d) => d === -1).length <= 1;
    if (!valid) {
      throw new Error(
        `Received an invalid value for "targetShape", expected positive integers with at most one -1. Received: targetShape=${JSON.stringify(target)}`,
      );
    }
    this.targetShape = [...target];
  }

  /** Resolves the -1 entry for a sample shape; null when the sample size is unknown. */
  private resolve(sampleShape: Shape): (number | null)[] {
    const unknown = this.targetShape.indexOf(-1);
    const known = this.targetShape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (sampleShape.some((d) => d === null)) {
      return this.targetShape.map((d) => (d === -1 ? null : d));
    }
    const total = sampleShape.reduce<number>((p, d) => p * (d as number), 1);
    if ((unknown === -1 && total !== known) || (unknown !== -1 && total % known !== 0)) {
      throw new Error(
        `Layer "${this.name}" cannot reshape a sample of shape ${formatShape(sampleShape)} ` +
          `(${total} values) into target shape ${formatShape(this.targetShape)}.`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? total / known : d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const sample = this.resolve(x.shape.slice(1)) as number[];
    return tf.reshape(x, [x.shape[0] as number, ...sample]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0] ?? null, ...this.resolve(shape.slice(1))];
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), target_shape: this.targetShape };
  }
}
