import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerVariable } from '../optimizers/variable.js';
import {
  type ConfusionKey,
  isEvenlyDistributed,
  NEG_INF,
  parseThresholds,
  updateConfusionMatrixVariables,
} from './confusion-matrix.js';
import { asFloat, divideNoNan, Metric, type MetricArgs, type TensorInput } from './metric.js';

function needPred(name: string, yPred: TensorInput | null | undefined): TensorInput {
  if (yPred == null)
    throw new Error(`Metric '${name}' needs both yTrue and yPred. Received: yPred=${yPred}`);
  return yPred;
}

export interface ThresholdArgs extends MetricArgs {
  thresholds?: number | number[] | null;
}

/** Counts one confusion-matrix cell per threshold (Keras `_ConfusionMatrixConditionCount`). */
abstract class ConfusionMatrixConditionCount extends Metric {
  protected abstract readonly cell: ConfusionKey;
  readonly initThresholds: number | number[] | null;
  readonly thresholds: number[];
  private readonly evenly: boolean;
  private readonly accumulator: OptimizerVariable;

  constructor(args: ThresholdArgs = {}) {
    super(args);
    this.initThresholds = args.thresholds ?? null;
    this.thresholds = parseThresholds(args.thresholds, 0.5);
    this.evenly = isEvenlyDistributed(this.thresholds);
    this.accumulator = this.addVariable({ name: 'accumulator', shape: [this.thresholds.length] });
  }

  updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void {
    const p = needPred(this.name, yPred);
    tf.tidy(() =>
      updateConfusionMatrixVariables({
        variables: { [this.cell]: this.accumulator },
        yTrue: asFloat(yTrue),
        yPred: asFloat(p),
        thresholds: this.thresholds,
        evenlyDistributed: this.evenly,
        sampleWeight: sampleWeight == null ? null : asFloat(sampleWeight),
      }),
    );
  }

  result(): tf.Tensor {
    return this.thresholds.length === 1
      ? tf.tidy(() => tf.reshape(tf.slice(this.accumulator.value, [0], [1]), []))
      : tf.clone(this.accumulator.value);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), thresholds: this.initThresholds };
  }
}

export class TruePositives extends ConfusionMatrixConditionCount {
  static override className = 'TruePositives';
  protected readonly cell = 'tp' as const;
}
export class FalsePositives extends ConfusionMatrixConditionCount {
  static override className = 'FalsePositives';
  protected readonly cell = 'fp' as const;
}
export class TrueNegatives extends ConfusionMatrixConditionCount {
  static override className = 'TrueNegatives';
  protected readonly cell = 'tn' as const;
}
export class FalseNegatives extends ConfusionMatrixConditionCount {
  static override className = 'FalseNegatives';
  protected readonly cell = 'fn' as const;
}

export interface PrecisionRecallArgs extends ThresholdArgs {
  topK?: number | null;
  classId?: number | null;
}

/** Shared state of Precision and Recall: true positives plus one error cell. */
abstract class PrecisionRecallBase extends Metric {
  readonly initThresholds: number | number[] | null;
  readonly thresholds: number[];
  readonly topK: number | null;
  readonly classId: number | null;
  private readonly evenly: boolean;
  protected readonly truePositives: OptimizerVariable;
  protected readonly errors: OptimizerVariable;

  constructor(args: PrecisionRecallArgs, errorCell: 'fp' | 'fn') {
    super(args);
    this.initThresholds = args.thresholds ?? null;
    this.topK = args.topK ?? null;
    this.classId = args.classId ?? null;
    this.thresholds = parseThresholds(args.thresholds, this.topK === null ? 0.5 : NEG_INF);
    this.evenly = isEvenlyDistributed(this.thresholds);
    const n = this.thresholds.length;
    this.truePositives = this.addVariable({ name: 'true_positives', shape: [n] });
    this.errors = this.addVariable({
      name: errorCell === 'fp' ? 'false_positives' : 'false_negatives',
      shape: [n],
    });
    this.errorCell = errorCell;
  }

  private readonly errorCell: 'fp' | 'fn';

  updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void {
    const p = needPred(this.name, yPred);
    tf.tidy(() =>
      updateConfusionMatrixVariables({
        variables: { tp: this.truePositives, [this.errorCell]: this.errors },
        yTrue: asFloat(yTrue),
        yPred: asFloat(p),
        thresholds: this.thresholds,
        evenlyDistributed: this.evenly,
        topK: this.topK,
        classId: this.classId,
        sampleWeight: sampleWeight == null ? null : asFloat(sampleWeight),
      }),
    );
  }

  result(): tf.Tensor {
    return tf.tidy(() => {
      const r = divideNoNan(
        this.truePositives.value,
        tf.add(this.truePositives.value, this.errors.value),
      );
      return this.thresholds.length === 1 ? tf.reshape(tf.slice(r, [0], [1]), []) : r;
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      thresholds: this.initThresholds,
      top_k: this.topK,
      class_id: this.classId,
    };
  }
}

/** TP / (TP + FP) at each threshold (Keras `Precision`). */
export class Precision extends PrecisionRecallBase {
  static override className = 'Precision';
  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'fp');
  }
}

/** TP / (TP + FN) at each threshold (Keras `Recall`). */
export class Recall extends PrecisionRecallBase {
  static override className = 'Recall';
  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'fn');
  }
}

export interface AUCArgs extends MetricArgs {
  numThresholds?: number;
  curve?: 'ROC' | 'PR' | 'roc' | 'pr';
  summationMethod?: 'interpolation' | 'majoring' | 'minoring';
  thresholds?: number[] | null;
  multiLabel?: boolean;
  numLabels?: number | null;
  labelWeights?: number[] | null;
  fromLogits?: boolean;
}

/**
 * Keras `AUC`: ROC or PR area from confusion counts at fixed thresholds, with Keras's
 * interpolation (Davis & Goadrich for PR).
 */
export class AUC extends Metric {
  static override className = 'AUC';
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'majoring' | 'minoring';
  readonly multiLabel: boolean;
  readonly numLabels: number | null;
  readonly labelWeights: number[] | null;
  readonly fromLogits: boolean;
  readonly thresholds: number[];
  private readonly initFromThresholds: boolean;
  private readonly evenly: boolean;
  private state: Record<ConfusionKey, OptimizerVariable> | null = null;

  constructor(args: AUCArgs = {}) {
    super(args);
    const curve = (args.curve ?? 'ROC').toUpperCase();
    if (curve !== 'ROC' && curve !== 'PR') {
      throw new Error(
        `Invalid AUC curve value: "${args.curve}". Expected values are ["PR", "ROC"]`,
      );
    }
    this.curve = curve;
    const sm = args.summationMethod ?? 'interpolation';
    if (!['interpolation', 'majoring', 'minoring'].includes(sm)) {
      throw new Error(
        `Invalid AUC summation method value: "${sm}". Expected values are ` +
          '["interpolation", "majoring", "minoring"]',
      );
    }
    this.summationMethod = sm;
    this.initFromThresholds = args.thresholds != null;
    let inner: number[];
    if (args.thresholds != null) {
      inner = [...args.thresholds].sort((a, b) => a - b);
      this.numThresholds = inner.length + 2;
      this.evenly = isEvenlyDistributed([0, ...inner, 1]);
    } else {
      const n = args.numThresholds ?? 200;
      if (n <= 1) {
        throw new Error(
          `Argument \`num_thresholds\` must be an integer > 1. Received: num_thresholds=${n}`,
        );
      }
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      this.evenly = true;
    }
    this.thresholds = [0 - epsilon(), ...inner, 1 + epsilon()];
    this.multiLabel = args.multiLabel ?? false;
    this.numLabels = args.numLabels ?? null;
    this.labelWeights = args.labelWeights ?? null;
    this.fromLogits = args.fromLogits ?? false;
    if (this.multiLabel) {
      if (this.numLabels) this.build(this.numLabels);
    } else {
      if (this.numLabels) {
        throw new Error('`num_labels` is needed only when `multi_label` is True.');
      }
      this.build(null);
    }
  }

  private build(numLabels: number | null): void {
    const shape = numLabels === null ? [this.numThresholds] : [this.numThresholds, numLabels];
    this.state = {
      tp: this.addVariable({ name: 'true_positives', shape }),
      fp: this.addVariable({ name: 'false_positives', shape }),
      tn: this.addVariable({ name: 'true_negatives', shape }),
      fn: this.addVariable({ name: 'false_negatives', shape }),
    };
  }

  updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void {
    const p0 = needPred(this.name, yPred);
    tf.tidy(() => {
      let p = asFloat(p0);
      if (!this.state) this.build(p.shape[p.rank - 1] as number);
      if (this.fromLogits) p = tf.sigmoid(p);
      updateConfusionMatrixVariables({
        variables: this.state as Record<ConfusionKey, OptimizerVariable>,
        yTrue: asFloat(yTrue),
        yPred: p,
        thresholds: this.thresholds,
        evenlyDistributed: this.evenly,
        sampleWeight: sampleWeight == null ? null : asFloat(sampleWeight),
        multiLabel: this.multiLabel,
        labelWeights: this.multiLabel || !this.labelWeights ? null : tf.tensor1d(this.labelWeights),
      });
    });
  }

  private byLabel(terms: tf.Tensor): tf.Tensor {
    if (!this.multiLabel) return tf.sum(terms);
    const perLabel = tf.sum(terms, 0);
    if (!this.labelWeights) return tf.mean(perLabel);
    const w = tf.tensor1d(this.labelWeights);
    return divideNoNan(tf.sum(tf.mul(perLabel, w)), tf.sum(w));
  }

  private head(t: tf.Tensor): tf.Tensor {
    return tf.slice(t, 0, this.numThresholds - 1);
  }

  private tail(t: tf.Tensor): tf.Tensor {
    return tf.slice(t, 1, this.numThresholds - 1);
  }

  /** Davis & Goadrich interpolation of the PR curve between thresholds. */
  private interpolatePrAuc(s: Record<ConfusionKey, OptimizerVariable>): tf.Tensor {
    const tp = s.tp.value;
    const dtp = tf.sub(this.head(tp), this.tail(tp));
    const p = tf.add(tp, s.fp.value);
    const dp = tf.sub(this.head(p), this.tail(p));
    const precSlope = divideNoNan(dtp, tf.relu(dp));
    const intercept = tf.sub(this.tail(tp), tf.mul(precSlope, this.tail(p)));
    const safeRatio = tf.where(
      tf.logicalAnd(tf.greater(this.head(p), 0), tf.greater(this.tail(p), 0)),
      divideNoNan(this.head(p), tf.relu(this.tail(p))),
      tf.onesLike(this.tail(p)),
    );
    const increment = divideNoNan(
      tf.mul(precSlope, tf.add(dtp, tf.mul(intercept, tf.log(safeRatio)))),
      tf.relu(tf.add(this.tail(tp), this.tail(s.fn.value))),
    );
    return this.byLabel(increment);
  }

  result(): tf.Tensor {
    return tf.tidy(() => {
      const s = this.state;
      if (!s) return tf.scalar(0);
      if (this.curve === 'PR' && this.summationMethod === 'interpolation')
        return this.interpolatePrAuc(s);
      const recall = divideNoNan(s.tp.value, tf.add(s.tp.value, s.fn.value));
      let x: tf.Tensor;
      let y: tf.Tensor;
      if (this.curve === 'ROC') {
        x = divideNoNan(s.fp.value, tf.add(s.fp.value, s.tn.value));
        y = recall;
      } else {
        x = recall;
        y = divideNoNan(s.tp.value, tf.add(s.tp.value, s.fp.value));
      }
      let heights: tf.Tensor;
      if (this.summationMethod === 'interpolation')
        heights = tf.div(tf.add(this.head(y), this.tail(y)), 2);
      else if (this.summationMethod === 'minoring')
        heights = tf.minimum(this.head(y), this.tail(y));
      else heights = tf.maximum(this.head(y), this.tail(y));
      return this.byLabel(tf.mul(tf.sub(this.head(x), this.tail(x)), heights));
    });
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: this.multiLabel,
      num_labels: this.numLabels,
      label_weights: this.labelWeights,
      from_logits: this.fromLogits,
    };
    if (this.initFromThresholds) config.thresholds = this.thresholds.slice(1, -1);
    return config;
  }
}
