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
import { canonicalizeAxis } from './axes.js';

export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of channel groups (default 32); -1 means one group per channel (instance norm). */
  groups?: number;
  axis?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: initializers.InitializerIdentifier | null;
  gammaInitializer?: initializers.InitializerIdentifier | null;
  betaRegularizer?: regularizers.RegularizerIdentifier | null;
  gammaRegularizer?: regularizers.RegularizerIdentifier | null;
  betaConstraint?: constraints.ConstraintIdentifier | null;
  gammaConstraint?: constraints.ConstraintIdentifier | null;
}

/**
 * Keras `GroupNormalization`: channels split into `groups`, each sample normalised per group
 * over the group's channels and every non-batch axis, then per-channel gamma and beta.
 */
export class GroupNormalization extends Layer {
  static override className = 'GroupNormalization';
  groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer | null;
  readonly gammaInitializer: Initializer | null;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    const groups = args.groups ?? 32;
    if (!Number.isInteger(groups) || (groups <= 0 && groups !== -1)) {
      throw new Error(
        'Received an invalid value for argument `groups`, expected a positive integer ' +
          `(or \`-1\` for instance normalization). Received: groups=${String(groups)}`,
      );
    }
    this.groups = groups;
    this.axis = args.axis ?? -1;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializers.get(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = initializers.get(args.gammaInitializer ?? 'ones');
    this.betaRegularizer = regularizers.get(args.betaRegularizer ?? null);
    this.gammaRegularizer = regularizers.get(args.gammaRegularizer ?? null);
    this.betaConstraint = constraints.get(args.betaConstraint ?? null) as Constraint | null;
    this.gammaConstraint = constraints.get(args.gammaConstraint ?? null) as Constraint | null;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axis = canonicalizeAxis(this.axis, shape.length, this.name);
    const dim = shape[axis];
    if (dim === null || dim === undefined) {
      throw new Error(
        `Axis ${this.axis} of the input to layer "${this.name}" should have a defined dimension. ` +
          `Received: input_shape=${formatShape(shape)}`,
      );
    }
    if (this.groups === -1) this.groups = dim;
    if (dim < this.groups) {
      throw new Error(
        `Number of groups (${this.groups}) cannot be more than the number of channels (${dim}) in layer "${this.name}".`,
      );
    }
    if (dim % this.groups !== 0) {
      throw new Error(
        `Number of channels (${dim}) must be a multiple of the number of groups (${this.groups}) in layer "${this.name}".`,
      );
    }
    this.inputSpec = new InputSpec({ ndim: shape.length, axes: { [this.axis]: dim } });
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: [dim],
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: [dim],
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const axis = canonicalizeAxis(this.axis, x.rank, this.name);
    const dim = x.shape[axis] as number;
    const groupShape = [...x.shape];
    groupShape.splice(axis, 1, this.groups, dim / this.groups);
    const paramShape = groupShape.map((d, i) => (i === axis || i === axis + 1 ? d : 1));
    const reduction = groupShape.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const gamma = this.gamma ? this.gamma.read() : null;
    const beta = this.beta ? this.beta.read() : null;
    return tf.tidy(() => {
      const grouped = tf.reshape(x, groupShape);
      const { mean, variance } = tf.moments(grouped, reduction, true);
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (gamma) inv = tf.mul(inv, tf.reshape(gamma, paramShape));
      let offset = tf.neg(tf.mul(mean, inv));
      if (beta) offset = tf.add(offset, tf.reshape(beta, paramShape));
      return tf.reshape(tf.add(tf.mul(grouped, inv), offset), x.shape);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    canonicalizeAxis(this.axis, shape.length, this.name);
    return [...shape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializers.serialize(this.betaInitializer),
      gamma_initializer: initializers.serialize(this.gammaInitializer),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
    };
  }
}
