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
import { MeanMetricWrapper, type MetricFn } from './reduction-metrics.js';

function wrapper(className: string, defaultName: string, fn: MetricFn) {
  return class extends MeanMetricWrapper {
    static override className = className;
    constructor(args: MetricArgs = {}) {
      super(fn, { ...args, name: args.name ?? defaultName });
    }
  };
}

export const KLDivergence = wrapper('KLDivergence', 'kl_divergence', klDivergence);
export type KLDivergence = InstanceType<typeof KLDivergence>;
export const Poisson = wrapper('Poisson', 'poisson', poisson);
export type Poisson = InstanceType<typeof Poisson>;
export const Hinge = wrapper('Hinge', 'hinge', hinge);
export type Hinge = InstanceType<typeof Hinge>;
export const SquaredHinge = wrapper('SquaredHinge', 'squared_hinge', squaredHinge);
export type SquaredHinge = InstanceType<typeof SquaredHinge>;
export const CategoricalHinge = wrapper('CategoricalHinge', 'categorical_hinge', categoricalHinge);
export type CategoricalHinge = InstanceType<typeof CategoricalHinge>;

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
