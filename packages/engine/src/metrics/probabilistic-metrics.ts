import type * as tf from '@tensorflow/tfjs-core';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from '../losses/crossentropy-functions.js';
import {
  categoricalHinge,
  hinge,
  klDivergence,
  poisson,
  squaredHinge,
} from '../losses/regression-functions.js';
import type { MetricArgs } from './metric.js';
import { MeanMetricWrapper } from './reduction-metrics.js';

export class KLDivergence extends MeanMetricWrapper {
  static override className = 'KLDivergence';
  constructor(args: MetricArgs = {}) {
    super(klDivergence, { ...args, name: args.name ?? 'kl_divergence' });
  }
}
export class Poisson extends MeanMetricWrapper {
  static override className = 'Poisson';
  constructor(args: MetricArgs = {}) {
    super(poisson, { ...args, name: args.name ?? 'poisson' });
  }
}
export class Hinge extends MeanMetricWrapper {
  static override className = 'Hinge';
  constructor(args: MetricArgs = {}) {
    super(hinge, { ...args, name: args.name ?? 'hinge' });
  }
}
export class SquaredHinge extends MeanMetricWrapper {
  static override className = 'SquaredHinge';
  constructor(args: MetricArgs = {}) {
    super(squaredHinge, { ...args, name: args.name ?? 'squared_hinge' });
  }
}
export class CategoricalHinge extends MeanMetricWrapper {
  static override className = 'CategoricalHinge';
  constructor(args: MetricArgs = {}) {
    super(categoricalHinge, { ...args, name: args.name ?? 'categorical_hinge' });
  }
}

export interface CrossentropyMetricArgs extends MetricArgs {
  fromLogits?: boolean;
  labelSmoothing?: number;
  axis?: number;
}

export class BinaryCrossentropy extends MeanMetricWrapper {
  static override className = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(args: CrossentropyMetricArgs = {}) {
    const o = { fromLogits: args.fromLogits ?? false, labelSmoothing: args.labelSmoothing ?? 0 };
    super((t: tf.Tensor, p: tf.Tensor) => binaryCrossentropy(t, p, o), {
      ...args,
      name: args.name ?? 'binary_crossentropy',
    });
    this.fromLogits = o.fromLogits;
    this.labelSmoothing = o.labelSmoothing;
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
    };
  }
}

export class CategoricalCrossentropy extends MeanMetricWrapper {
  static override className = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor(args: CrossentropyMetricArgs = {}) {
    const o = {
      fromLogits: args.fromLogits ?? false,
      labelSmoothing: args.labelSmoothing ?? 0,
      axis: args.axis ?? -1,
    };
    super((t: tf.Tensor, p: tf.Tensor) => categoricalCrossentropy(t, p, o), {
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

export class SparseCategoricalCrossentropy extends MeanMetricWrapper {
  static override className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  readonly axis: number;
  constructor(
    args: MetricArgs & { fromLogits?: boolean; ignoreClass?: number | null; axis?: number } = {},
  ) {
    const o = {
      fromLogits: args.fromLogits ?? false,
      ignoreClass: args.ignoreClass ?? null,
      axis: args.axis ?? -1,
    };
    super((t: tf.Tensor, p: tf.Tensor) => sparseCategoricalCrossentropy(t, p, o), {
      ...args,
      name: args.name ?? 'sparse_categorical_crossentropy',
    });
    this.fromLogits = o.fromLogits;
    this.ignoreClass = o.ignoreClass;
    this.axis = o.axis;
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
