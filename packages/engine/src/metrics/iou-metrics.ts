import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerVariable } from '../optimizers/variable.js';
import { asFloat, Metric, type MetricArgs, type TensorInput } from './metric.js';

export interface IoUArgs extends MetricArgs {
  numClasses: number;
  targetClassIds: number[];
  ignoreClass?: number | null;
  sparseYTrue?: boolean;
  sparseYPred?: boolean;
  axis?: number;
}

/**
 * Keras `IoU`: a running (num_classes x num_classes) confusion matrix, and the mean
 * intersection-over-union of the target classes. Labels are cast to int as Keras's default
 * `dtype='int'` does (so are sample weights).
 */
export class IoU extends Metric {
  static override className = 'IoU';
  readonly numClasses: number;
  readonly targetClassIds: number[];
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  private readonly totalCm: OptimizerVariable;

  constructor(args: IoUArgs) {
    super({ ...args, dtype: args.dtype ?? 'int' });
    if (!(Number.isInteger(args.numClasses) && args.numClasses > 0)) {
      throw new Error(
        `Expected a positive integer for \`num_classes\`. Received: num_classes=${args.numClasses}`,
      );
    }
    const maxId = Math.max(...args.targetClassIds);
    if (maxId >= args.numClasses) {
      throw new Error(
        `Target class id ${maxId} is out of range, which is [0, ${args.numClasses}).`,
      );
    }
    this.numClasses = args.numClasses;
    this.targetClassIds = [...args.targetClassIds];
    this.ignoreClass = args.ignoreClass ?? null;
    this.sparseYTrue = args.sparseYTrue ?? true;
    this.sparseYPred = args.sparseYPred ?? true;
    this.axis = args.axis ?? -1;
    this.totalCm = this.addVariable({
      name: 'total_confusion_matrix',
      shape: [this.numClasses, this.numClasses],
    });
  }

  updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void {
    if (yPred == null)
      throw new Error(`Metric '${this.name}' needs yPred. Received: yPred=${yPred}`);
    tf.tidy(() => {
      let t = asFloat(yTrue);
      let p = asFloat(yPred);
      if (!this.sparseYTrue) t = tf.argMax(t, this.axis);
      if (!this.sparseYPred) p = tf.argMax(p, this.axis);
      const intMode = this.dtype === 'int' || this.dtype.startsWith('int');
      t = tf.reshape(tf.cast(t, 'int32'), [-1]);
      p = tf.reshape(tf.cast(p, 'int32'), [-1]);
      let w = sampleWeight == null ? tf.scalar(1) : asFloat(sampleWeight);
      if (intMode) w = tf.cast(tf.cast(w, 'int32'), 'float32');
      w = tf.broadcastTo(tf.reshape(w, w.rank > 1 ? [-1] : w.shape), t.shape);
      const n = this.numClasses;
      let valid = tf.logicalAnd(
        tf.logicalAnd(tf.greaterEqual(t, 0), tf.less(t, n)),
        tf.logicalAnd(tf.greaterEqual(p, 0), tf.less(p, n)),
      );
      if (this.ignoreClass !== null) valid = tf.logicalAnd(valid, tf.notEqual(t, this.ignoreClass));
      w = tf.where(valid, w, tf.zerosLike(w));
      // cm[i, j] = sum of weights with label i and prediction j, as onehot(t)^T @ (onehot(p) * w).
      const tHot = tf.cast(tf.oneHot(tf.where(valid, t, tf.zerosLike(t)), n), 'float32');
      const pHot = tf.mul(
        tf.cast(tf.oneHot(tf.where(valid, p, tf.zerosLike(p)), n), 'float32'),
        tf.expandDims(w, 1),
      );
      const cm = tf.matMul(tf.transpose(tHot), pHot);
      this.totalCm.value.assign(tf.add(this.totalCm.value, cm));
    });
  }

  result(): tf.Tensor {
    return tf.tidy(() => {
      const cm = this.totalCm.value;
      const n = this.numClasses;
      const sumOverRow = tf.sum(cm, 0);
      const sumOverCol = tf.sum(cm, 1);
      const tpAll = tf.sum(tf.mul(cm, tf.eye(n)), 1);
      const denomAll = tf.sub(tf.add(sumOverRow, sumOverCol), tpAll);
      const ids = tf.tensor1d(this.targetClassIds, 'int32');
      const tp = tf.gather(tpAll, ids);
      const denom = tf.gather(denomAll, ids);
      const valid = tf.greater(denom, 1e-9);
      const numValid = tf.sum(tf.cast(valid, 'float32'));
      const iou = tf.where(valid, tf.div(tp, tf.add(denom, epsilon())), tf.zerosLike(tp));
      return tf.div(tf.sum(iou), tf.add(numValid, epsilon()));
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_classes: this.numClasses,
      target_class_ids: this.targetClassIds,
      ignore_class: this.ignoreClass,
      sparse_y_true: this.sparseYTrue,
      sparse_y_pred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

/** `IoU` averaged over every class (Keras `MeanIoU`). */
export class MeanIoU extends IoU {
  static override className = 'MeanIoU';
  constructor(args: Omit<IoUArgs, 'targetClassIds'>) {
    super({ ...args, targetClassIds: Array.from({ length: args.numClasses }, (_, i) => i) });
  }
  override getConfig(): Record<string, unknown> {
    const { target_class_ids: _ids, ...rest } = super.getConfig();
    return rest;
  }
}
