import * as tf from '@tensorflow/tfjs-core';
import { l2Normalize } from '../losses/functions-common.js';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import {
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from '../losses/regression-functions.js';
import type { OptimizerVariable } from '../optimizers/variable.js';
import { asFloat, Metric, type MetricArgs, type TensorInput } from './metric.js';
import { Mean, MeanMetricWrapper } from './reduction-metrics.js';

export class MeanSquaredError extends MeanMetricWrapper {
  static override className = 'MeanSquaredError';
  constructor(args: MetricArgs = {}) {
    super(meanSquaredError, { ...args, name: args.name ?? 'mean_squared_error' });
  }
}
export class MeanAbsoluteError extends MeanMetricWrapper {
  static override className = 'MeanAbsoluteError';
  constructor(args: MetricArgs = {}) {
    super(meanAbsoluteError, { ...args, name: args.name ?? 'mean_absolute_error' });
  }
}
export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  static override className = 'MeanAbsolutePercentageError';
  constructor(args: MetricArgs = {}) {
    super(meanAbsolutePercentageError, {
      ...args,
      name: args.name ?? 'mean_absolute_percentage_error',
    });
  }
}
export class MeanSquaredLogarithmicError extends MeanMetricWrapper {
  static override className = 'MeanSquaredLogarithmicError';
  constructor(args: MetricArgs = {}) {
    super(meanSquaredLogarithmicError, {
      ...args,
      name: args.name ?? 'mean_squared_logarithmic_error',
    });
  }
}
export class LogCoshError extends MeanMetricWrapper {
  static override className = 'LogCoshError';
  constructor(args: MetricArgs = {}) {
    super(logCosh, { ...args, name: args.name ?? 'logcosh' });
  }
}

/** Cosine similarity (positive, unlike the loss) along `axis`. */
export function cosineSimilarityMetric(yTrue: tf.Tensor, yPred: tf.Tensor, axis = -1): tf.Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.sum(tf.mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis);
}

export class CosineSimilarity extends MeanMetricWrapper {
  static override className = 'CosineSimilarity';
  readonly axis: number;
  constructor(args: MetricArgs & { axis?: number } = {}) {
    const axis = args.axis ?? -1;
    super((t, p) => cosineSimilarityMetric(t, p, axis), {
      ...args,
      name: args.name ?? 'cosine_similarity',
    });
    this.axis = axis;
  }
}

/** sqrt of the running (weighted) mean of squared errors. */
export class RootMeanSquaredError extends Mean {
  static override className = 'RootMeanSquaredError';
  constructor(args: MetricArgs = {}) {
    super({ ...args, name: args.name ?? 'root_mean_squared_error' });
  }
  override updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void {
    if (yPred == null)
      throw new Error(`Metric '${this.name}' needs yPred. Received: yPred=${yPred}`);
    tf.tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(asFloat(yTrue), asFloat(yPred));
      this.accumulate(tf.square(tf.sub(p, t)), sampleWeight == null ? null : asFloat(sampleWeight));
    });
  }
  override result(): tf.Tensor {
    return tf.tidy(() => tf.sqrt(super.result()));
  }
}

export type R2Aggregation = 'uniform_average' | 'variance_weighted_average' | null;

/** Coefficient of determination per output column, aggregated (Keras `R2Score`). */
export class R2Score extends Metric {
  static override className = 'R2Score';
  readonly classAggregation: R2Aggregation;
  readonly numRegressors: number;
  private readonly numSamples = this.addVariable({ name: 'num_samples', shape: [] });
  private cols: {
    squaredSum: OptimizerVariable;
    sum: OptimizerVariable;
    residual: OptimizerVariable;
    count: OptimizerVariable;
  } | null = null;

  constructor(
    args: MetricArgs & { classAggregation?: R2Aggregation; numRegressors?: number } = {},
  ) {
    super({ ...args, name: args.name ?? 'r2_score' });
    const agg = args.classAggregation === undefined ? 'uniform_average' : args.classAggregation;
    if (![null, 'uniform_average', 'variance_weighted_average'].includes(agg)) {
      throw new Error(
        'Invalid value for argument `class_aggregation`. Expected one of (None, ' +
          `'uniform_average', 'variance_weighted_average'). Received: class_aggregation=${agg}`,
      );
    }
    const nr = args.numRegressors ?? 0;
    if (nr < 0) {
      throw new Error(
        `Invalid value for argument \`num_regressors\`. Expected a value >= 0. Received: num_regressors=${nr}`,
      );
    }
    this.classAggregation = agg;
    this.numRegressors = nr;
  }

  updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void {
    if (yPred == null)
      throw new Error(`Metric '${this.name}' needs yPred. Received: yPred=${yPred}`);
    tf.tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(asFloat(yTrue), asFloat(yPred));
      if (t.rank !== 2 || p.rank !== 2) {
        throw new Error(
          'R2Score expects 2D inputs with shape (batch_size, output_dim). Received input shapes: ' +
            `y_pred.shape=[${p.shape}] and y_true.shape=[${t.shape}].`,
        );
      }
      if (!this.cols) {
        const n = p.shape[1] as number;
        this.cols = {
          squaredSum: this.addVariable({ name: 'squared_sum', shape: [n] }),
          sum: this.addVariable({ name: 'sum', shape: [n] }),
          residual: this.addVariable({ name: 'residual', shape: [n] }),
          count: this.addVariable({ name: 'count', shape: [n] }),
        };
      }
      let sw = sampleWeight == null ? tf.scalar(1) : asFloat(sampleWeight);
      if (sw.rank === 1) sw = tf.expandDims(sw, 1);
      sw = tf.broadcastTo(sw, t.shape);
      const c = this.cols;
      const wt = tf.mul(t, sw);
      c.sum.value.assign(tf.add(c.sum.value, tf.sum(wt, 0)));
      c.squaredSum.value.assign(tf.add(c.squaredSum.value, tf.sum(tf.mul(t, wt), 0)));
      c.residual.value.assign(
        tf.add(c.residual.value, tf.sum(tf.mul(tf.square(tf.sub(t, p)), sw), 0)),
      );
      c.count.value.assign(tf.add(c.count.value, tf.sum(sw, 0)));
      const nonzero = tf.sum(tf.cast(tf.any(tf.notEqual(sw, 0), -1), 'float32'));
      this.numSamples.value.assign(tf.add(this.numSamples.value, nonzero));
    });
  }

  result(): tf.Tensor {
    return tf.tidy(() => {
      const c = this.cols;
      if (!c) return tf.scalar(0);
      const mean = tf.div(c.sum.value, c.count.value);
      const total = tf.sub(c.squaredSum.value, tf.mul(c.sum.value, mean));
      let raw = tf.sub(1, tf.div(c.residual.value, total));
      raw = tf.where(tf.isInf(raw), tf.zerosLike(raw), raw);
      let r2: tf.Tensor;
      if (this.classAggregation === 'uniform_average') r2 = tf.mean(raw);
      else if (this.classAggregation === 'variance_weighted_average') {
        r2 = tf.div(tf.sum(tf.mul(total, raw)), tf.sum(total));
      } else r2 = raw;
      if (this.numRegressors !== 0) {
        // The adjustment needs n - p - 1 > 0; Keras falls back to the plain score otherwise.
        const n = this.numSamples.value;
        const den = tf.sub(tf.sub(n, this.numRegressors), 1);
        const adjusted = tf.sub(1, tf.div(tf.mul(tf.sub(1, r2), tf.sub(n, 1)), den));
        r2 = tf.where(tf.greater(den, 0), adjusted, r2);
      }
      return r2;
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      class_aggregation: this.classAggregation,
      num_regressors: this.numRegressors,
    };
  }
}
