import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerVariable } from '../optimizers/variable.js';
import { asFloat, Metric, type MetricArgs, type TensorInput } from './metric.js';

export type FScoreAverage = 'micro' | 'macro' | 'weighted' | null;

export interface FBetaScoreArgs extends MetricArgs {
  average?: FScoreAverage;
  beta?: number;
  /** Scores above it count as positive; without it, each row's maximum is the positive. */
  threshold?: number | null;
}

/** Keras `FBetaScore` over (batch, classes) inputs, averaged micro/macro/weighted or per class. */
export class FBetaScore extends Metric {
  static override className = 'FBetaScore';
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;
  private state: Record<'tp' | 'fp' | 'fn' | 'weights', OptimizerVariable> | null = null;

  constructor(args: FBetaScoreArgs = {}) {
    super({ ...args, name: args.name ?? 'fbeta_score' });
    const average = args.average ?? null;
    if (![null, 'micro', 'macro', 'weighted'].includes(average)) {
      throw new Error(
        "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. " +
          `Received: average=${average}`,
      );
    }
    const beta = args.beta ?? 1.0;
    if (!(typeof beta === 'number' && beta > 0)) {
      throw new Error(`Invalid \`beta\` argument value. It should be > 0. Received: beta=${beta}`);
    }
    const threshold = args.threshold ?? null;
    if (threshold !== null && (threshold > 1 || threshold <= 0)) {
      throw new Error(
        'Invalid `threshold` argument value. It should verify 0 < threshold <= 1. ' +
          `Received: threshold=${threshold}`,
      );
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void {
    if (yPred == null)
      throw new Error(`Metric '${this.name}' needs yPred. Received: yPred=${yPred}`);
    tf.tidy(() => {
      const t = asFloat(yTrue);
      let p = asFloat(yPred);
      if (t.rank !== 2 || p.rank !== 2) {
        throw new Error(
          'FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input ' +
            `shapes: y_pred.shape=[${p.shape}] and y_true.shape=[${t.shape}].`,
        );
      }
      if (!this.state) {
        const shape = this.average === 'micro' ? [] : [p.shape[1] as number];
        this.state = {
          tp: this.addVariable({ name: 'true_positives', shape }),
          fp: this.addVariable({ name: 'false_positives', shape }),
          fn: this.addVariable({ name: 'false_negatives', shape }),
          weights: this.addVariable({ name: 'intermediate_weights', shape }),
        };
      }
      if (this.threshold === null) {
        const max = tf.max(p, -1, true);
        p = tf.cast(tf.logicalAnd(tf.greaterEqual(p, max), tf.greater(tf.abs(p), 1e-9)), 'float32');
      } else {
        p = tf.cast(tf.greater(p, this.threshold), 'float32');
      }
      let sw = sampleWeight == null ? null : asFloat(sampleWeight);
      while (sw && sw.rank < t.rank) sw = tf.expandDims(sw, -1);
      const axis = this.average === 'micro' ? undefined : 0;
      const wsum = (v: tf.Tensor) => tf.sum(sw ? tf.mul(v, sw) : v, axis);
      const s = this.state;
      s.tp.value.assign(tf.add(s.tp.value, wsum(tf.mul(p, t))));
      s.fp.value.assign(tf.add(s.fp.value, wsum(tf.mul(p, tf.sub(1, t)))));
      s.fn.value.assign(tf.add(s.fn.value, wsum(tf.mul(tf.sub(1, p), t))));
      s.weights.value.assign(tf.add(s.weights.value, wsum(t)));
    });
  }

  result(): tf.Tensor {
    return tf.tidy(() => {
      const s = this.state;
      if (!s) return tf.scalar(0);
      const eps = epsilon();
      const tp = s.tp.value;
      const precision = tf.div(tp, tf.add(tf.add(tp, s.fp.value), eps));
      const recall = tf.div(tp, tf.add(tf.add(tp, s.fn.value), eps));
      const b2 = this.beta * this.beta;
      const mean = tf.div(
        tf.mul(precision, recall),
        tf.add(tf.add(tf.mul(b2, precision), recall), eps),
      );
      let f = tf.mul(mean, 1 + b2);
      if (this.average === 'weighted') {
        const w = tf.div(s.weights.value, tf.add(tf.sum(s.weights.value), eps));
        f = tf.sum(tf.mul(f, w));
      } else if (this.average !== null) {
        f = tf.mean(f);
      }
      return f;
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      average: this.average,
      beta: this.beta,
      threshold: this.threshold,
    };
  }
}

/** `FBetaScore` with beta 1 (Keras `F1Score`). */
export class F1Score extends FBetaScore {
  static override className = 'F1Score';
  constructor(args: Omit<FBetaScoreArgs, 'beta'> = {}) {
    super({ ...args, beta: 1.0, name: args.name ?? 'f1_score' });
  }
  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...rest } = super.getConfig();
    return rest;
  }
}
