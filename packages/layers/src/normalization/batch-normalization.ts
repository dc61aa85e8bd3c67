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
  /** Batch renormalization (Ioffe 2017), as Keras 3: adds moving_stddev, renorm_mean, renorm_stddev. */
  renorm?: boolean;
  /** Optional `{ rmax, rmin, dmax }` bounds on the renorm corrections r and d. */
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
  readonly renorm: boolean;
  readonly renormClipping: Record<string, number> | null;
  readonly renormMomentum: number;
  movingStddev: LayerVariable | null = null;
  renormMean: LayerVariable | null = null;
  renormStddev: LayerVariable | null = null;
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
    this.renorm = args.renorm ?? false;
    this.renormClipping = this.renorm
      ? checkRenormClipping(args.renormClipping ?? {})
      : (args.renormClipping ?? null);
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
    if (this.renorm) this.buildRenorm(dim);
    this.inputSpec = new InputSpec({ ndim: shape.length, axes: { [this.axis]: dim } });
    super.build(inputShape);
  }

  /** The renorm statistics; the two stddevs start at sqrt(moving_variance_initializer), as Keras. */
  private buildRenorm(dim: number): void {
    const stddevInit = () =>
      tf.tidy(() => {
        const init = this.movingVarianceInitializer;
        return tf.sqrt(init ? init.call([dim], 'float32') : tf.ones([dim]));
      });
    this.movingStddev = this.addWeight({
      name: 'moving_stddev',
      shape: [dim],
      initializer: 'ones',
      trainable: false,
    });
    this.renormMean = this.addWeight({
      name: 'renorm_mean',
      shape: [dim],
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.renormStddev = this.addWeight({
      name: 'renorm_stddev',
      shape: [dim],
      initializer: 'ones',
      trainable: false,
    });
    for (const v of [this.movingStddev, this.renormStddev]) {
      const value = stddevInit();
      v.assign(value);
      value.dispose();
    }
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
        if (this.renorm) return this.renormTraining(x, mean, variance, gamma, beta, bshape);
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

  /**
   * Keras 3's renorm training step: normalise with the batch statistics, then apply the
   * corrections r = stddev / renorm_stddev and d = (mean - renorm_mean) / renorm_stddev (clipped,
   * no gradient) through gamma and beta, and move renorm_mean/renorm_stddev (renorm_momentum) and
   * moving_mean/moving_stddev (momentum); moving_variance = relu(moving_stddev^2 - epsilon).
   */
  private renormTraining(
    x: tf.Tensor,
    mean: tf.Tensor,
    variance: tf.Tensor,
    gamma: tf.Tensor | null,
    beta: tf.Tensor | null,
    bshape: number[],
  ): tf.Tensor {
    const renormMean = (this.renormMean as LayerVariable).read();
    const renormStddev = (this.renormStddev as LayerVariable).read();
    const stddev = tf.sqrt(tf.add(variance, this.epsilon));
    const floor = tf.maximum(renormStddev, Math.sqrt(this.epsilon));
    let r = stopGradient(tf.div(stddev, floor));
    let d = stopGradient(tf.div(tf.sub(mean, renormMean), floor));
    const { rmin, rmax, dmax } = this.renormClipping ?? {};
    if (rmin !== undefined) r = tf.maximum(r, rmin);
    if (rmax !== undefined) r = tf.minimum(r, rmax);
    if (dmax !== undefined) d = tf.clipByValue(d, -dmax, dmax);
    const effGamma = gamma ? tf.mul(r, gamma) : r;
    let effBeta = gamma ? tf.mul(d, gamma) : d;
    if (beta) effBeta = tf.add(effBeta, beta);

    const rm = this.renormMomentum;
    const m = this.momentum;
    const movingStddev = (this.movingStddev as LayerVariable).read();
    const movingMean = (this.movingMean as LayerVariable).read();
    (this.renormMean as LayerVariable).assign(tf.add(tf.mul(renormMean, rm), tf.mul(mean, 1 - rm)));
    (this.renormStddev as LayerVariable).assign(
      tf.add(tf.mul(renormStddev, rm), tf.mul(stddev, 1 - rm)),
    );
    (this.movingMean as LayerVariable).assign(tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)));
    const newStddev = tf.add(tf.mul(movingStddev, m), tf.mul(stddev, 1 - m));
    (this.movingStddev as LayerVariable).assign(newStddev);
    (this.movingVariance as LayerVariable).assign(
      tf.relu(tf.sub(tf.square(newStddev), this.epsilon)),
    );

    const inv = tf.mul(tf.rsqrt(tf.add(variance, this.epsilon)), effGamma);
    const offset = tf.sub(effBeta, tf.mul(mean, inv));
    return tf.add(tf.mul(x, tf.reshape(inv, bshape)), tf.reshape(offset, bshape));
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
      renorm: this.renorm,
      renorm_clipping: this.renormClipping ? { ...this.renormClipping } : null,
      renorm_momentum: this.renormMomentum,
    };
  }
}

/** Identity whose gradient is zero (TF's stop_gradient), which tfjs-core lacks. */
const stopGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.add(inputs[0] as tf.Tensor, 0),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as (x: tf.Tensor) => tf.Tensor;

/** Keras's checks of `renorm_clipping`: only rmax/rmin/dmax, rmax >= rmin, dmax >= 0. */
function checkRenormClipping(clipping: Record<string, number>): Record<string, number> {
  const keys = ['rmax', 'rmin', 'dmax'];
  const bad = Object.keys(clipping).filter((k) => !keys.includes(k));
  if (bad.length > 0) {
    throw new Error(
      `Received invalid keys for \`renorm_clipping\` argument: ${JSON.stringify(clipping)}. Supported values: ${JSON.stringify(keys)}.`,
    );
  }
  const { rmax, rmin, dmax } = clipping;
  if (rmax !== undefined && rmin !== undefined && rmax < rmin) {
    throw new Error(
      `rmax should be greater than rmin in the \`renorm_clipping\` argument. Received: rmax=${rmax}, rmin=${rmin}.`,
    );
  }
  if (dmax !== undefined && dmax < 0) {
    throw new Error(
      `dmax should be non-negative in the \`renorm_clipping\` argument. Received: dmax=${dmax}.`,
    );
  }
  return { ...clipping };
}
