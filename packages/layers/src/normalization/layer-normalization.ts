import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import * as constraints from '../constraints/index.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { type CallArgs, type Config, formatShape, type Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import * as initializers from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { axisList, broadcastShape, canonicalizeAxes } from './axes.js';

export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /**
   * Keras 3's deprecated `rms_scaling`: divides by sqrt(variance + epsilon) with no centering and
   * no beta (Keras's behaviour, kept for its saved models; RMSNormalization is the real RMS norm).
   */
  rmsScaling?: boolean;
  betaInitializer?: initializers.InitializerIdentifier | null;
  gammaInitializer?: initializers.InitializerIdentifier | null;
  betaRegularizer?: regularizers.RegularizerIdentifier | null;
  gammaRegularizer?: regularizers.RegularizerIdentifier | null;
  betaConstraint?: constraints.ConstraintIdentifier | null;
  gammaConstraint?: constraints.ConstraintIdentifier | null;
}

/** Keras 3 `LayerNormalization` (epsilon 1e-3): per-sample normalisation over `axis`. */
export class LayerNormalization extends Layer {
  static override className = 'LayerNormalization';
  /** The axes as given (Keras 3 writes them as a list, e.g. `[-1]`). */
  readonly axis: number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: Initializer | null;
  readonly gammaInitializer: Initializer | null;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.axis = axisList(args.axis ?? -1);
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.rmsScaling = args.rmsScaling ?? false;
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
    const axes = canonicalizeAxes(this.axis, shape.length, this.name);
    const paramShape = axes.map((a) => shape[a]);
    if (paramShape.some((d) => d === null || d === undefined)) {
      throw new Error(
        `Layer "${this.name}" needs the normalised axes ${formatShape(this.axis)} of its input to be defined. ` +
          `Received: input_shape=${formatShape(shape)}`,
      );
    }
    if (this.scale || this.rmsScaling) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: paramShape as number[],
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center && !this.rmsScaling) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: paramShape as number[],
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const axes = canonicalizeAxes(this.axis, x.rank, this.name);
    const bshape = broadcastShape(x.shape, axes);
    const gamma = this.gamma ? this.gamma.read() : null;
    const beta = this.beta ? this.beta.read() : null;
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes, true);
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (this.rmsScaling) {
        const y = tf.mul(x, inv);
        return gamma ? tf.mul(y, tf.reshape(gamma, bshape)) : y;
      }
      if (gamma) inv = tf.mul(inv, tf.reshape(gamma, bshape));
      let offset = tf.neg(tf.mul(mean, inv));
      if (beta) offset = tf.add(offset, tf.reshape(beta, bshape));
      return tf.add(tf.mul(x, inv), offset);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    canonicalizeAxes(this.axis, shape.length, this.name);
    return [...shape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: this.rmsScaling,
      beta_initializer: initializers.serialize(this.betaInitializer),
      gamma_initializer: initializers.serialize(this.gammaInitializer),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
    };
  }
}
