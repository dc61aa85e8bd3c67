import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import type { OptimizerVariable } from '../optimizers/variable.js';

/** The threshold Keras uses to mean "any score among the top k is positive". */
export const NEG_INF = -1e10;

export type ConfusionKey = 'tp' | 'fp' | 'tn' | 'fn';

/** Keras `parse_init_thresholds`: a list in [0, 1], or the default. */
export function parseThresholds(
  thresholds: number | number[] | null | undefined,
  fallback: number,
): number[] {
  if (thresholds === null || thresholds === undefined) return [fallback];
  const list = Array.isArray(thresholds) ? thresholds : [thresholds];
  const invalid = list.filter((t) => typeof t !== 'number' || t < 0 || t > 1);
  if (invalid.length) {
    throw new Error(`Threshold values must be in [0, 1]. Received: [${invalid.join(', ')}]`);
  }
  return list;
}

/** Keras `is_evenly_distributed_thresholds` (then its fast path clips predictions to [0, 1]). */
export function isEvenlyDistributed(thresholds: number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  return thresholds.every(
    (t, i) => Math.abs(t - i / (n - 1)) <= epsilon() + 1e-5 * Math.abs(i / (n - 1)),
  );
}

/** Keeps each row's top-k scores and pushes the rest to NEG_INF (Keras `_filter_top_k`). */
function filterTopK(x: tf.Tensor, k: number): tf.Tensor {
  const depth = x.shape[x.rank - 1] as number;
  const { indices } = tf.topk(x, k);
  const mask = tf.sum(tf.oneHot(indices, depth), -2);
  return tf.add(tf.mul(x, mask), tf.mul(NEG_INF, tf.sub(1, mask)));
}

/**
 * Keras `update_confusion_matrix_variables`: for every threshold, count (weighted) true/false
 * positives/negatives of `yPred > threshold` against `yTrue` and add them to the variables.
 * Everything is tensor math on the tiled thresholds, so no host read happens.
 */
export function updateConfusionMatrixVariables(args: {
  variables: Partial<Record<ConfusionKey, OptimizerVariable>>;
  yTrue: tf.Tensor;
  yPred: tf.Tensor;
  thresholds: number[];
  topK?: number | null;
  classId?: number | null;
  sampleWeight?: tf.Tensor | null;
  multiLabel?: boolean;
  labelWeights?: tf.Tensor | null;
  evenlyDistributed?: boolean;
}): void {
  const { variables, thresholds } = args;
  const multiLabel = args.multiLabel ?? false;
  let [yPred, yTrue] = squeezeOrExpandToSameRank(
    tf.cast(args.yPred, 'float32'),
    tf.cast(args.yTrue, 'float32'),
  );
  let sw: tf.Tensor | null = null;
  if (args.sampleWeight) {
    [, sw] = squeezeOrExpandToSameRank(
      yTrue,
      tf.expandDims(tf.cast(args.sampleWeight, 'float32'), -1),
      false,
    );
  }
  if (args.topK) yPred = filterTopK(yPred, args.topK);
  if (args.classId !== undefined && args.classId !== null) {
    if (yPred.rank === 1) {
      throw new Error(
        'When class_id is provided, y_pred must be a 2D array with shape (num_samples, ' +
          `num_classes), found shape: [${yPred.shape}]`,
      );
    }
    const c = args.classId;
    const last = yPred.rank - 1;
    yTrue = tf.slice(yTrue, [...new Array(last).fill(0), c], [...yTrue.shape.slice(0, last), 1]);
    yPred = tf.slice(yPred, [...new Array(last).fill(0), c], [...yPred.shape.slice(0, last), 1]);
  }
  if (args.evenlyDistributed) yPred = tf.clipByValue(yPred, 0, 1);

  const numThresholds = thresholds.length;
  const thr = tf.tensor1d(thresholds, 'float32');
  let predPos: tf.Tensor;
  let labelPos: tf.Tensor;
  let weights: tf.Tensor | null = null;
  if (multiLabel) {
    // [T, batch, labels]
    predPos = tf.greater(tf.expandDims(yPred, 0), tf.reshape(thr, [numThresholds, 1, 1]));
    labelPos = tf.expandDims(tf.cast(yTrue, 'bool'), 0);
    if (sw) weights = tf.expandDims(tf.broadcastTo(sw, yPred.shape), 0);
  } else {
    const flatPred = tf.reshape(yPred, [1, -1]);
    predPos = tf.greater(flatPred, tf.reshape(thr, [numThresholds, 1]));
    labelPos = tf.reshape(tf.cast(yTrue, 'bool'), [1, -1]);
    if (sw) weights = tf.reshape(tf.broadcastTo(sw, yPred.shape), [1, -1]);
    if (args.labelWeights) {
      const lw = tf.reshape(
        tf.broadcastTo(tf.expandDims(args.labelWeights, 0), yPred.shape),
        [1, -1],
      );
      weights = weights ? tf.mul(weights, lw) : lw;
    }
  }
  const predNeg = tf.logicalNot(predPos);
  const labelNeg = tf.logicalNot(labelPos);
  const add = (key: ConfusionKey, label: tf.Tensor, pred: tf.Tensor) => {
    const v = variables[key];
    if (!v) return;
    let hits = tf.cast(tf.logicalAnd(label, pred), 'float32');
    if (weights) hits = tf.mul(hits, weights);
    v.value.assign(tf.add(v.value, tf.sum(hits, 1)));
  };
  add('tp', labelPos, predPos);
  add('fp', labelNeg, predPos);
  add('tn', labelNeg, predNeg);
  add('fn', labelPos, predNeg);
}
