import * as tf from '@tensorflow/tfjs-core';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import type { MetricArgs } from './metric.js';
import { MeanMetricWrapper } from './reduction-metrics.js';

/** 1 where `yTrue == yPred` exactly. */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.cast(tf.equal(t, p), 'float32');
}

/** 1 where `(yPred > threshold) == yTrue`. */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.cast(tf.equal(t, tf.cast(tf.greater(p, threshold), t.dtype)), 'float32');
}

/** 1 where the argmax of `yPred` is the argmax of one-hot `yTrue`. */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  let t = tf.argMax(yTrue, -1);
  const shape = t.shape;
  let reshape = false;
  if (t.rank === yPred.rank) {
    t = tf.squeeze(t, [-1]);
    reshape = true;
  }
  const matches = tf.cast(tf.equal(t, tf.argMax(yPred, -1)), 'float32');
  return reshape ? tf.reshape(matches, shape) : matches;
}

/** 1 where the argmax of `yPred` equals the integer label. */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  let t = yTrue;
  const shape = t.shape;
  let reshape = false;
  if (t.rank === yPred.rank && t.shape[t.rank - 1] === 1) {
    t = tf.squeeze(t, [t.rank - 1]);
    reshape = true;
  }
  let matches = tf.cast(tf.equal(tf.cast(t, 'int32'), tf.argMax(yPred, -1)), 'float32');
  if (reshape) matches = tf.reshape(matches, shape);
  if (matches.rank > 1 && matches.shape[matches.rank - 1] === 1) {
    matches = tf.squeeze(matches, [matches.rank - 1]);
  }
  return matches;
}

/**
 * `in_top_k`: whether each row's target class is among its `k` largest predictions. Ties count
 * as TensorFlow counts them: the target is in if fewer than `k` classes score strictly higher.
 */
function inTopK(targets: tf.Tensor, predictions: tf.Tensor, k: number): tf.Tensor {
  const numClasses = predictions.shape[predictions.rank - 1] as number;
  const oneHot = tf.oneHot(tf.cast(targets, 'int32'), numClasses);
  const targetScore = tf.sum(tf.mul(predictions, tf.cast(oneHot, 'float32')), -1, true);
  const higher = tf.sum(tf.cast(tf.greater(predictions, targetScore), 'float32'), -1);
  return tf.less(higher, k);
}

/** 1 where the one-hot target is in the top `k` predictions. */
export function topKCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, k = 5): tf.Tensor {
  let t = tf.argMax(yTrue, -1);
  const shape = t.shape;
  let p = yPred;
  if (p.rank > 2) p = tf.reshape(p, [-1, p.shape[p.rank - 1] as number]);
  if (t.rank > 1) t = tf.reshape(t, [-1]);
  const matches = tf.cast(inTopK(t, p, k), 'float32');
  return shape.length > 1 ? tf.reshape(matches, shape) : matches;
}

/** 1 where the integer target is in the top `k` predictions. */
export function sparseTopKCategoricalAccuracy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  k = 5,
): tf.Tensor {
  let t = yTrue;
  const shape = t.shape;
  let p = yPred;
  if (p.rank > 2) p = tf.reshape(p, [-1, p.shape[p.rank - 1] as number]);
  if (t.rank > 1) t = tf.reshape(t, [-1]);
  const matches = tf.cast(inTopK(t, p, k), 'float32');
  return shape.length > 1 ? tf.reshape(matches, shape) : matches;
}

export class Accuracy extends MeanMetricWrapper {
  static override className = 'Accuracy';
  constructor(args: MetricArgs = {}) {
    super(accuracy, { ...args, name: args.name ?? 'accuracy' });
  }
}

export class BinaryAccuracy extends MeanMetricWrapper {
  static override className = 'BinaryAccuracy';
  readonly threshold: number;
  constructor(args: MetricArgs & { threshold?: number } = {}) {
    const threshold = args.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), {
      ...args,
      name: args.name ?? 'binary_accuracy',
    });
    this.threshold = threshold;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'CategoricalAccuracy';
  constructor(args: MetricArgs = {}) {
    super(categoricalAccuracy, { ...args, name: args.name ?? 'categorical_accuracy' });
  }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'SparseCategoricalAccuracy';
  constructor(args: MetricArgs = {}) {
    super(sparseCategoricalAccuracy, { ...args, name: args.name ?? 'sparse_categorical_accuracy' });
  }
}

export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'TopKCategoricalAccuracy';
  readonly k: number;
  constructor(args: MetricArgs & { k?: number } = {}) {
    const k = args.k ?? 5;
    super((t, p) => topKCategoricalAccuracy(t, p, k), {
      ...args,
      name: args.name ?? 'top_k_categorical_accuracy',
    });
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}

export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static override className = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  constructor(args: MetricArgs & { k?: number } = {}) {
    const k = args.k ?? 5;
    super((t, p) => sparseTopKCategoricalAccuracy(t, p, k), {
      ...args,
      name: args.name ?? 'sparse_top_k_categorical_accuracy',
    });
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), k: this.k };
  }
}
