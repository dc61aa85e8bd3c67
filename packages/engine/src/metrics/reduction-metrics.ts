import * as tf from '@tensorflow/tfjs-core';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import { asFloat, divideNoNan, Metric, type MetricArgs, type TensorInput } from './metric.js';

export type Reducer = (x: tf.Tensor, axis: number[]) => tf.Tensor;

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Keras `reduce_to_samplewise_values`: reduce values to the weight's rank, weight them, then
 * reduce every axis after the batch axis. Returns the values and the broadcast weights.
 */
export function reduceToSamplewiseValues(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | null,
  reduce: Reducer,
): [tf.Tensor, tf.Tensor | null] {
  let v = values;
  let sw = sampleWeight;
  if (sw) {
    [v, sw] = squeezeOrExpandToSameRank(v, sw);
    const wRank = sw.rank;
    if (v.rank > wRank) v = reduce(v, range(wRank, v.rank));
    sw = tf.broadcastTo(sw, v.shape);
    v = tf.mul(v, sw);
    if (wRank > 1) sw = reduce(sw, range(1, wRank));
  }
  if (v.rank > 1) v = reduce(v, range(1, v.rank));
  return [v, sw];
}

/** Keras `Sum`: the (weighted) sum of the values seen. */
export class Sum extends Metric {
  static override className = 'Sum';
  private readonly total = this.addVariable({ name: 'total', shape: [] });

  constructor(args: MetricArgs = {}) {
    super({ ...args, name: args.name ?? 'sum' });
  }

  updateState(values: TensorInput, sampleWeight?: TensorInput | null): void {
    tf.tidy(() => {
      const [v] = reduceToSamplewiseValues(
        asFloat(values),
        sampleWeight == null ? null : asFloat(sampleWeight),
        (x, axis) => tf.sum(x, axis),
      );
      this.total.value.assign(tf.add(this.total.value, tf.sum(v)));
    });
  }

  result(): tf.Tensor {
    return tf.clone(this.total.value);
  }
}

/** Keras `Mean`: the (weighted) mean of the values seen. */
export class Mean extends Metric {
  static override className = 'Mean';
  protected readonly total = this.addVariable({ name: 'total', shape: [] });
  protected readonly count = this.addVariable({ name: 'count', shape: [] });

  constructor(args: MetricArgs = {}) {
    super({ ...args, name: args.name ?? 'mean' });
  }

  updateState(values: TensorInput, sampleWeight?: TensorInput | null): void {
    tf.tidy(() =>
      this.accumulate(asFloat(values), sampleWeight == null ? null : asFloat(sampleWeight)),
    );
  }

  /** Adds per-sample `values` (weighted by `sampleWeight`) to the running mean. */
  protected accumulate(values: tf.Tensor, sampleWeight: tf.Tensor | null): void {
    const [v, sw] = reduceToSamplewiseValues(values, sampleWeight, (x, axis) => tf.mean(x, axis));
    this.total.value.assign(tf.add(this.total.value, tf.sum(v)));
    let n: tf.Tensor;
    if (sw) n = tf.sum(sw);
    else n = tf.scalar(v.rank >= 1 ? (v.shape[0] as number) : 1);
    this.count.value.assign(tf.add(this.count.value, n));
  }

  result(): tf.Tensor {
    return tf.tidy(() => divideNoNan(this.total.value, this.count.value));
  }
}

/** A per-sample metric function `(yTrue, yPred) => values`. */
export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Keras `MeanMetricWrapper`: the running mean of `fn(yTrue, yPred)`, optionally masked (entries
 * with mask 0 carry no weight).
 */
export class MeanMetricWrapper extends Mean {
  static override className = 'MeanMetricWrapper';
  readonly fn: MetricFn;

  constructor(fn: MetricFn, args: MetricArgs = {}) {
    super({ ...args, name: args.name ?? (fn.name || undefined) });
    this.fn = fn;
  }

  override updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
    opts: { mask?: tf.Tensor | null } = {},
  ): void {
    if (yPred == null) {
      throw new Error(`Metric '${this.name}' needs both yTrue and yPred. Received: yPred=${yPred}`);
    }
    tf.tidy(() => {
      const values = this.fn(asFloat(yTrue), asFloat(yPred));
      let sw = sampleWeight == null ? null : asFloat(sampleWeight);
      if (opts.mask) {
        const m = tf.cast(opts.mask, 'float32');
        if (sw) {
          const [mm, ww] = squeezeOrExpandToSameRank(m, sw);
          sw = tf.mul(ww, mm);
        } else {
          sw = m;
        }
      }
      this.accumulate(values, sw);
    });
  }
}
