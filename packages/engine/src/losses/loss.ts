import * as tf from '@tensorflow/tfjs-core';
import { autoName } from '../optimizers/naming.js';

/** How per-sample losses become the returned value (Keras 3 `reduction`). */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean' | 'mean_with_sample_weight';

const REDUCTIONS = new Set<string>([
  'sum_over_batch_size',
  'sum',
  'none',
  'mean',
  'mean_with_sample_weight',
]);

/** What losses and metrics take as `yTrue` / `yPred` / `sampleWeight`. */
export type TensorInput = tf.Tensor | tf.TensorLike;

/** A loss function: per-sample values (reduced over the last axis), not yet weighted/reduced. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export function standardizeReduction(reduction: string | null | undefined): Reduction {
  if (reduction === null || reduction === undefined) return 'none';
  if (!REDUCTIONS.has(reduction)) {
    throw new Error(
      'Invalid value for argument `reduction`. Expected one of {"sum_over_batch_size", "sum", ' +
        `"none", "mean", "mean_with_sample_weight", None}. Received: reduction=${reduction}`,
    );
  }
  return reduction as Reduction;
}

export function toFloatTensor(x: TensorInput): tf.Tensor {
  const t = x instanceof tf.Tensor ? x : tf.tensor(x as tf.TensorLike);
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

/**
 * Keras `squeeze_or_expand_to_same_rank`: when ranks differ by one and the longer has a trailing
 * 1, squeeze it (or expand a rank-1 partner), so `(batch,)` labels meet `(batch, 1)` predictions.
 */
export function squeezeOrExpandToSameRank(
  x1: tf.Tensor,
  x2: tf.Tensor,
  expandRank1 = true,
): [tf.Tensor, tf.Tensor] {
  let a = x1;
  let b = x2;
  if (a.rank === b.rank) return [a, b];
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    if (b.rank === 1 && expandRank1) b = tf.expandDims(b, -1);
    else a = tf.squeeze(a, [a.rank - 1]);
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    if (a.rank === 1 && expandRank1) a = tf.expandDims(a, -1);
    else b = tf.squeeze(b, [b.rank - 1]);
  }
  return [a, b];
}

function reduceValues(values: tf.Tensor, sampleWeight: tf.Tensor | null, reduction: Reduction) {
  if (reduction === 'none' || values.rank === 0 || (values.rank === 1 && values.shape[0] === 0)) {
    return values;
  }
  const total = tf.sum(values);
  if (reduction === 'sum') return total;
  const divisor =
    reduction === 'mean_with_sample_weight' && sampleWeight
      ? tf.sum(sampleWeight)
      : tf.scalar(values.size);
  return divideNoNan(total, divisor);
}

export function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const safe = tf.where(tf.equal(b, 0), tf.onesLike(b), b);
  return tf.where(tf.equal(b, 0), tf.zerosLike(tf.div(a, safe)), tf.div(a, safe));
}

/**
 * Keras `reduce_weighted_values`: folds a mask into the sample weights (rescaled so masked-out
 * entries do not dilute a mean), weights the values, then reduces.
 */
export function reduceWeightedValues(
  values: tf.Tensor,
  opts: { sampleWeight?: tf.Tensor | null; mask?: tf.Tensor | null; reduction: Reduction },
): tf.Tensor {
  let v = values;
  let sw = opts.sampleWeight ? toFloatTensor(opts.sampleWeight) : null;
  if (opts.mask) {
    const maskF = tf.cast(opts.mask, 'float32');
    let floatMask: tf.Tensor;
    if (opts.reduction === 'mean' || opts.reduction === 'sum_over_batch_size') {
      const weight = divideNoNan(tf.scalar(maskF.size), tf.sum(maskF));
      floatMask = tf.mul(maskF, weight);
    } else {
      floatMask = maskF;
    }
    if (sw) {
      const [m, w] = squeezeOrExpandToSameRank(floatMask, sw);
      sw = tf.mul(w, m);
    } else {
      sw = floatMask;
    }
  }
  if (sw) {
    const [a, w] = squeezeOrExpandToSameRank(v, sw);
    v = tf.mul(a, w);
    sw = w;
  }
  return reduceValues(v, sw, opts.reduction);
}

/** Options every loss class takes. */
export interface LossArgs {
  reduction?: Reduction | null;
  name?: string;
  /** Kept for Keras config compatibility; losses compute in float32. */
  dtype?: string | null;
}

/**
 * Keras 3 `keras.losses.Loss`. `call(yTrue, yPred, sampleWeight?)` is Keras's `__call__`: it
 * computes the per-sample values (`computeValues`), weights and masks them, and reduces.
 */
export abstract class Loss {
  static className = 'Loss';
  readonly name: string;
  readonly reduction: Reduction;
  readonly dtype: string;

  constructor(args: LossArgs = {}) {
    this.name = args.name ?? autoName((this.constructor as typeof Loss).className);
    this.reduction = standardizeReduction(
      args.reduction === undefined ? 'sum_over_batch_size' : args.reduction,
    );
    this.dtype = args.dtype ?? 'float32';
  }

  /** Per-sample loss values, before weighting and reduction (Keras's `Loss.call`). */
  abstract computeValues(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  /** A mask on the per-sample values (e.g. `ignoreClass`), or null. */
  protected valuesMask(_yTrue: tf.Tensor, _yPred: tf.Tensor): tf.Tensor | null {
    return null;
  }

  /** The weighted, reduced loss (a scalar unless `reduction: 'none'`). */
  call(
    yTrue: TensorInput,
    yPred: TensorInput,
    sampleWeight?: TensorInput | null,
    opts: { mask?: tf.Tensor | null } = {},
  ): tf.Tensor {
    return tf.tidy(() => {
      const t = toFloatTensor(yTrue);
      const p = toFloatTensor(yPred);
      const values = this.computeValues(t, p);
      const outMask = this.valuesMask(t, p);
      let mask: tf.Tensor | null = opts.mask ?? null;
      if (mask && outMask) mask = tf.logicalAnd(tf.cast(mask, 'bool'), tf.cast(outMask, 'bool'));
      else mask = mask ?? outMask;
      return reduceWeightedValues(values, {
        sampleWeight: sampleWeight == null ? null : toFloatTensor(sampleWeight),
        mask,
        reduction: this.reduction,
      });
    });
  }

  /** Keras 3 `get_config()`. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  /** Keras `from_config`: snake_case config keys become constructor options. */
  static fromConfig<T extends Loss>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Record<string, unknown>,
  ): T {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) {
      if (k === 'fn') continue;
      args[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] =
        k === 'reduction' && v === 'auto' ? 'sum_over_batch_size' : v;
    }
    return new this(args);
  }
}

/**
 * Keras `LossFunctionWrapper`: a loss class around a function of `(yTrue, yPred)`, with the
 * label/prediction ranks reconciled first.
 */
export class LossFunctionWrapper extends Loss {
  static override className = 'LossFunctionWrapper';
  readonly fn: LossFn;
  /** Keras name of `fn` when it is a built-in loss function (for serialization). */
  readonly fnName: string | null;

  constructor(fn: LossFn, args: LossArgs & { fnName?: string | null } = {}) {
    super({ ...args, name: args.name ?? args.fnName ?? (fn.name || undefined) });
    this.fn = fn;
    this.fnName = args.fnName ?? null;
  }

  computeValues(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
    return this.fn(t, p);
  }
}
