import * as tf from '@tensorflow/tfjs-core';
import {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  sparseCategoricalCrossentropy,
} from './crossentropy-functions.js';
import { type LossArgs, LossFunctionWrapper } from './loss.js';
import {
  categoricalHinge,
  cosineSimilarity,
  dice,
  hinge,
  huber,
  klDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  squaredHinge,
  tversky,
} from './regression-functions.js';

export class MeanSquaredError extends LossFunctionWrapper {
  static override className = 'MeanSquaredError';
  constructor(args: LossArgs = {}) {
    super(meanSquaredError, { ...args, name: args.name ?? 'mean_squared_error' });
  }
}
export class MeanAbsoluteError extends LossFunctionWrapper {
  static override className = 'MeanAbsoluteError';
  constructor(args: LossArgs = {}) {
    super(meanAbsoluteError, { ...args, name: args.name ?? 'mean_absolute_error' });
  }
}
export class MeanAbsolutePercentageError extends LossFunctionWrapper {
  static override className = 'MeanAbsolutePercentageError';
  constructor(args: LossArgs = {}) {
    super(meanAbsolutePercentageError, {
      ...args,
      name: args.name ?? 'mean_absolute_percentage_error',
    });
  }
}
export class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  static override className = 'MeanSquaredLogarithmicError';
  constructor(args: LossArgs = {}) {
    super(meanSquaredLogarithmicError, {
      ...args,
      name: args.name ?? 'mean_squared_logarithmic_error',
    });
  }
}
export class LogCosh extends LossFunctionWrapper {
  static override className = 'LogCosh';
  constructor(args: LossArgs = {}) {
    super(logCosh, { ...args, name: args.name ?? 'log_cosh' });
  }
}
export class Hinge extends LossFunctionWrapper {
  static override className = 'Hinge';
  constructor(args: LossArgs = {}) {
    super(hinge, { ...args, name: args.name ?? 'hinge' });
  }
}
export class SquaredHinge extends LossFunctionWrapper {
  static override className = 'SquaredHinge';
  constructor(args: LossArgs = {}) {
    super(squaredHinge, { ...args, name: args.name ?? 'squared_hinge' });
  }
}
export class CategoricalHinge extends LossFunctionWrapper {
  static override className = 'CategoricalHinge';
  constructor(args: LossArgs = {}) {
    super(categoricalHinge, { ...args, name: args.name ?? 'categorical_hinge' });
  }
}
export class KLDivergence extends LossFunctionWrapper {
  static override className = 'KLDivergence';
  constructor(args: LossArgs = {}) {
    super(klDivergence, { ...args, name: args.name ?? 'kl_divergence' });
  }
}
export class Poisson extends LossFunctionWrapper {
  static override className = 'Poisson';
  constructor(args: LossArgs = {}) {
    super(poisson, { ...args, name: args.name ?? 'poisson' });
  }
}

export class CosineSimilarity extends LossFunctionWrapper {
  static override className = 'CosineSimilarity';
  readonly axis: number;
  constructor(args: LossArgs & { axis?: number } = {}) {
    const axis = args.axis ?? -1;
    super((t, p) => cosineSimilarity(t, p, axis), {
      ...args,
      name: args.name ?? 'cosine_similarity',
    });
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export class Huber extends LossFunctionWrapper {
  static override className = 'Huber';
  readonly delta: number;
  constructor(args: LossArgs & { delta?: number } = {}) {
    const delta = args.delta ?? 1.0;
    super((t, p) => huber(t, p, delta), { ...args, name: args.name ?? 'huber_loss' });
    this.delta = delta;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}

export interface CrossentropyArgs extends LossArgs {
  fromLogits?: boolean;
  labelSmoothing?: number;
  axis?: number;
}

export class BinaryCrossentropy extends LossFunctionWrapper {
  static override className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(args: CrossentropyArgs = {}) {
    const o = {
      fromLogits: args.fromLogits ?? false,
      labelSmoothing: args.labelSmoothing ?? 0,
      axis: args.axis ?? -1,
    };
    super((t, p) => binaryCrossentropy(t, p, o), {
      ...args,
      name: args.name ?? 'binary_crossentropy',
    });
    this.fromLogits = o.fromLogits;
    this.labelSmoothing = o.labelSmoothing;
    this.axis = o.axis;
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
}

export class BinaryFocalCrossentropy extends LossFunctionWrapper {
  static override className = 'BinaryFocalCrossentropy';
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(
    args: CrossentropyArgs & { applyClassBalancing?: boolean; alpha?: number; gamma?: number } = {},
  ) {
    const o = {
      applyClassBalancing: args.applyClassBalancing ?? false,
      alpha: args.alpha ?? 0.25,
      gamma: args.gamma ?? 2.0,
      fromLogits: args.fromLogits ?? false,
      labelSmoothing: args.labelSmoothing ?? 0,
      axis: args.axis ?? -1,
    };
    super((t, p) => binaryFocalCrossentropy(t, p, o), {
      ...args,
      name: args.name ?? 'binary_focal_crossentropy',
    });
    this.applyClassBalancing = o.applyClassBalancing;
    this.alpha = o.alpha;
    this.gamma = o.gamma;
    this.fromLogits = o.fromLogits;
    this.labelSmoothing = o.labelSmoothing;
    this.axis = o.axis;
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
      apply_class_balancing: this.applyClassBalancing,
      alpha: this.alpha,
      gamma: this.gamma,
    };
  }
}

export class CategoricalCrossentropy extends LossFunctionWrapper {
  static override className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(args: CrossentropyArgs = {}) {
    const o = {
      fromLogits: args.fromLogits ?? false,
      labelSmoothing: args.labelSmoothing ?? 0,
      axis: args.axis ?? -1,
    };
    super((t, p) => categoricalCrossentropy(t, p, o), {
      ...args,
      name: args.name ?? 'categorical_crossentropy',
    });
    this.fromLogits = o.fromLogits;
    this.labelSmoothing = o.labelSmoothing;
    this.axis = o.axis;
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
}

export class CategoricalFocalCrossentropy extends LossFunctionWrapper {
  static override className = 'CategoricalFocalCrossentropy';
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(args: CrossentropyArgs & { alpha?: number; gamma?: number } = {}) {
    const o = {
      alpha: args.alpha ?? 0.25,
      gamma: args.gamma ?? 2.0,
      fromLogits: args.fromLogits ?? false,
      labelSmoothing: args.labelSmoothing ?? 0,
      axis: args.axis ?? -1,
    };
    super((t, p) => categoricalFocalCrossentropy(t, p, o), {
      ...args,
      name: args.name ?? 'categorical_focal_crossentropy',
    });
    this.alpha = o.alpha;
    this.gamma = o.gamma;
    this.fromLogits = o.fromLogits;
    this.labelSmoothing = o.labelSmoothing;
    this.axis = o.axis;
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
      alpha: this.alpha,
      gamma: this.gamma,
    };
  }
}

export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  static override className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;
  constructor(
    args: LossArgs & { fromLogits?: boolean; ignoreClass?: number | null; axis?: number } = {},
  ) {
    const o = {
      fromLogits: args.fromLogits ?? false,
      ignoreClass: args.ignoreClass ?? null,
      axis: args.axis ?? -1,
    };
    super((t, p) => sparseCategoricalCrossentropy(t, p, o), {
      ...args,
      name: args.name ?? 'sparse_categorical_crossentropy',
    });
    this.fromLogits = o.fromLogits;
    this.ignoreClass = o.ignoreClass;
    this.axis = o.axis;
  }
  // Sparse labels have one rank less than the predictions: no rank reconciliation.
  override computeValues(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.fn(yTrue, yPred);
  }
  // Ignored entries are masked out of the mean as Keras does (its loss sets a Keras mask).
  protected override valuesMask(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor | null {
    if (this.ignoreClass === null) return null;
    let labels = yTrue;
    const axis = this.axis < 0 ? this.axis + yPred.rank : this.axis;
    if (labels.rank === yPred.rank && labels.shape[axis] === 1) {
      labels = tf.squeeze(labels, [axis]);
    }
    return tf.notEqual(labels, this.ignoreClass);
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      ignore_class: this.ignoreClass,
      axis: this.axis,
    };
  }
}

export class Dice extends LossFunctionWrapper {
  static override className = 'Dice';
  readonly axis: number | number[] | null;
  constructor(args: LossArgs & { axis?: number | number[] | null } = {}) {
    const axis = args.axis ?? null;
    super((t, p) => dice(t, p, axis), { ...args, name: args.name ?? 'dice' });
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export class Tversky extends LossFunctionWrapper {
  static override className = 'Tversky';
  readonly alpha: number;
  readonly beta: number;
  readonly axis: number | number[] | null;
  constructor(
    args: LossArgs & { alpha?: number; beta?: number; axis?: number | number[] | null } = {},
  ) {
    const o = { alpha: args.alpha ?? 0.5, beta: args.beta ?? 0.5, axis: args.axis ?? null };
    super((t, p) => tversky(t, p, o.alpha, o.beta, o.axis), {
      ...args,
      name: args.name ?? 'tversky',
    });
    this.alpha = o.alpha;
    this.beta = o.beta;
    this.axis = o.axis;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha, beta: this.beta, axis: this.axis };
  }
}
