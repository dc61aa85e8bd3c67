import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import * as constraints from '../constraints/index.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { type CallArgs, type Config, formatShape, type Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import * as initializers from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';

export interface PReLUArgs extends LayerArgs {
  /** Initial slopes (default `'Zeros'`, as Keras writes it). */
  alphaInitializer?: initializers.InitializerIdentifier | null;
  alphaRegularizer?: regularizers.RegularizerIdentifier | null;
  alphaConstraint?: constraints.ConstraintIdentifier | null;
  /** Axes (1-based, batch excluded) that share one slope, e.g. `[1, 2]` for per-channel images. */
  sharedAxes?: number | number[] | null;
}

/** Keras `PReLU`: `relu(x) - alpha * relu(-x)` with a learned `alpha`. */
export class PReLU extends Layer {
  static override className = 'PReLU';
  readonly alphaInitializer: Initializer | null;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha: LayerVariable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = initializers.get(args.alphaInitializer ?? 'Zeros');
    this.alphaRegularizer = regularizers.get(args.alphaRegularizer ?? null);
    this.alphaConstraint = constraints.get(args.alphaConstraint ?? null) as Constraint | null;
    const shared = args.sharedAxes;
    this.sharedAxes =
      shared === null || shared === undefined
        ? null
        : Array.isArray(shared)
          ? [...shared]
          : [shared];
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const paramShape = shape.slice(1);
    for (const axis of this.sharedAxes ?? []) {
      if (!Number.isInteger(axis) || axis < 1 || axis >= shape.length) {
        throw new Error(
          `Invalid \`shared_axes\` for layer "${this.name}": each axis must be in [1, ${shape.length - 1}]. ` +
            `Received: shared_axes=${formatShape(this.sharedAxes ?? [])} for input_shape=${formatShape(shape)}`,
        );
      }
      paramShape[axis - 1] = 1;
    }
    if (paramShape.some((d) => d === null)) {
      throw new Error(
        `Layer "${this.name}" needs every non-shared axis of its input to be defined. ` +
          `Received: input_shape=${formatShape(shape)}, shared_axes=${JSON.stringify(this.sharedAxes)}`,
      );
    }
    this.alpha = this.addWeight({
      name: 'alpha',
      shape: paramShape as number[],
      initializer: this.alphaInitializer,
      regularizer: this.alphaRegularizer,
      constraint: this.alphaConstraint,
    });
    const axes: Record<number, number> = {};
    if (this.sharedAxes) {
      for (let i = 1; i < shape.length; i++) {
        if (!this.sharedAxes.includes(i)) axes[i] = shape[i] as number;
      }
    }
    this.inputSpec = new InputSpec({ ndim: shape.length, axes });
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const alpha = (this.alpha as LayerVariable).read();
    return tf.tidy(() => tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x)))));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      alpha_initializer: initializers.serialize(this.alphaInitializer),
      alpha_regularizer: regularizers.serialize(this.alphaRegularizer),
      alpha_constraint: constraints.serialize(this.alphaConstraint),
      shared_axes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }
}
