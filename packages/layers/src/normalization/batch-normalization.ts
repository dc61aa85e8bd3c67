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
import { axisList, broadcastShape, canonicalizeAxis } from './axes.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis (default -1). Keras 2 configs may hold it as a one-element list. */
  axis?: number | number[];
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: initializers.InitializerIdentifier | null;
  gammaInitializer?: initializers.InitializerIdentifier | null;
  movingMeanInitializer?: initializers.InitializerIdentifier | null;
  movingVarianceInitializer?: initializers.InitializerIdentifier | null;
  betaRegularizer?: regularizers.RegularizerIdentifier | null;
  gammaRegularizer?: regularizers.RegularizerIdentifier | null;
  betaConstraint?: constraints.ConstraintIdentifier | null;
  gammaConstraint?: constraints.ConstraintIdentifier | null;
  /** Only meaningful for multi-device TF; kept for config round trips, must be false here. */
  synchronized?: boolean;
  /** Batch renormalization is not implemented; configs with `renorm: true` are refused. */
  renorm?: boolean;
  renormClipping?: Record<string, number> | null;
  renormMomentum?: number;
}

/**
 * Keras 3 `BatchNormalization`. Training (`training: true` and a trainable layer) normalises with
 * the batch mean and biased variance and moves the moving statistics towards them
 * (`moving = moving * momentum + batch * (1 - momentum)`) by variable assignment on device;
 * inference uses the moving statistics. Weights in Keras order: gamma, beta, moving_mean,
 * moving_variance.
 */
export class BatchNormalization extends Layer {
  static override className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer | null;
  readonly gammaInitializer: Initializer | null;
  readonly movingMeanInitializer: Initializer | null;
  readonly movingVarianceInitializer: Initializer | null;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  readonly renormMomentum: number;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  movingMean: LayerVariable | null = null;
  movingVariance: LayerVariable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const axes = axisList(args.axis ?? -1);
    if (axes.length !== 1) {
      throw new Error(
        `BatchNormalization normalises along one axis. Received: axis=${JSON.stringify(args.axis)}`,
      );
    }
    this.axis = axes[0] as number;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) {
      throw new Error(`Expected a positive \`epsilon\`. Received: epsilon=${String(args.epsilon)}`);
    }
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    if (args.synchronized) {
      throw new Error(
        'Argument synchronized=True is only supported with the TensorFlow backend. Received: synchronized=true',
      );
    }
    if (args.renorm) {
      throw new Error(
        'Batch renormalization is not supported by keras-ts BatchNormalization. Received: renorm=true',
      );
    }
    this.renormMomentum = args.renormMomentum ?? 0.99;
    this.betaInitializer = initializers.get(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = initializers.get(args.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = initializers.get(args.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = initializers.get(args.movingVarianceInitializer ?? 'ones');
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
    this.movingMean = this.addWeight({
      name: 'moving_mean',
      shape: [dim],
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight({
      name: 'moving_variance',
      shape: [dim],
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    this.inputSpec = new InputSpec({ ndim: shape.length, axes: { [this.axis]: dim } });
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const mask = args.mask instanceof tf.Tensor ? args.mask : null;
    if (mask !== null && mask.rank !== x.rank - 1) {
      throw new Error(
        `The mask provided to layer "${this.name}" should be one dimension less than the inputs. ` +
          `Received: mask.shape=${formatShape(mask.shape)}, inputs.shape=${formatShape(x.shape)}`,
      );
    }
    const axis = canonicalizeAxis(this.axis, x.rank, this.name);
    const reduction = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const bshape = broadcastShape(x.shape, [axis]);
    const movingMean = (this.movingMean as LayerVariable).read();
    const movingVariance = (this.movingVariance as LayerVariable).read();
    const gamma = this.gamma ? this.gamma.read() : null;
    const beta = this.beta ? this.beta.read() : null;
    const training = args.training === true && this.trainable;
    return tf.tidy(() => {
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (training) {
        [mean, variance] =
          mask === null ? this.moments(x, reduction) : this.maskedMoments(x, mask, reduction);
        const m = this.momentum;
        // Assigned values are kept alive by the variables after tidy disposes the intermediates.
        (this.movingMean as LayerVariable).assign(
          tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)),
        );
        (this.movingVariance as LayerVariable).assign(
          tf.add(tf.mul(movingVariance, m), tf.mul(variance, 1 - m)),
        );
      } else {
        mean = movingMean;
        variance = movingVariance;
      }
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (gamma) inv = tf.mul(inv, gamma);
      let offset = tf.neg(tf.mul(mean, inv));
      if (beta) offset = tf.add(offset, beta);
      return tf.add(tf.mul(x, tf.reshape(inv, bshape)), tf.reshape(offset, bshape));
    });
  }

  private moments(x: tf.Tensor, axes: number[]): [tf.Tensor, tf.Tensor] {
    const mean = tf.mean(x, axes, true);
    const variance = tf.mean(tf.squaredDifference(x, mean), axes);
    return [tf.reshape(mean, [-1]), variance];
  }

  /** Keras's masked moments: statistics over unmasked positions (epsilon keeps 0/0 finite). */
  private maskedMoments(x: tf.Tensor, mask: tf.Tensor, axes: number[]): [tf.Tensor, tf.Tensor] {
    const eps = 1e-7;
    const w = tf.cast(tf.expandDims(tf.cast(mask, 'bool'), -1), x.dtype);
    const weights = tf.mul(w, tf.onesLike(x));
    const count = tf.add(tf.sum(weights, axes, true), eps);
    const mean = tf.div(tf.sum(tf.mul(x, weights), axes, true), count);
    const variance = tf.div(
      tf.sum(tf.mul(tf.squaredDifference(x, mean), weights), axes, true),
      count,
    );
    return [tf.reshape(mean, [-1]), tf.reshape(variance, [-1])];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    canonicalizeAxis(this.axis, shape.length, this.name);
    return [...shape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializers.serialize(this.betaInitializer),
      gamma_initializer: initializers.serialize(this.gammaInitializer),
      moving_mean_initializer: initializers.serialize(this.movingMeanInitializer),
      moving_variance_initializer: initializers.serialize(this.movingVarianceInitializer),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
      synchronized: false,
      renorm: false,
      renorm_clipping: null,
      renorm_momentum: this.renormMomentum,
    };
  }
}
