import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { canonicalizeAxis, defineLossFn, logSoftmax, softmax } from './functions-common.js';

export interface CrossentropyOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  axis?: number;
}

/** Elementwise binary crossentropy (Keras backend op): stable logits form or clipped probabilities. */
export function binaryCrossentropyElementwise(
  target: tf.Tensor,
  output: tf.Tensor,
  fromLogits: boolean,
): tf.Tensor {
  if (target.shape.join(',') !== output.shape.join(',')) {
    throw new Error(
      'Arguments `target` and `output` must have the same shape. Received: ' +
        `target.shape=[${target.shape}], output.shape=[${output.shape}]`,
    );
  }
  if (fromLogits) {
    // max(x, 0) - x * z + log(1 + exp(-|x|)), as tf.nn.sigmoid_cross_entropy_with_logits.
    return tf.add(
      tf.sub(tf.relu(output), tf.mul(output, target)),
      tf.log1p(tf.exp(tf.neg(tf.abs(output)))),
    );
  }
  const eps = epsilon();
  const o = tf.clipByValue(output, eps, 1 - eps);
  return tf.neg(tf.add(tf.mul(target, tf.log(o)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, o)))));
}

/** Categorical crossentropy of a distribution along `axis` (Keras backend op). */
export function categoricalCrossentropyOp(
  target: tf.Tensor,
  output: tf.Tensor,
  fromLogits: boolean,
  axis: number,
): tf.Tensor {
  if (fromLogits) return tf.neg(tf.sum(tf.mul(target, logSoftmax(output, axis)), axis));
  const eps = epsilon();
  const o = tf.clipByValue(tf.div(output, tf.sum(output, axis, true)), eps, 1 - eps);
  return tf.neg(tf.sum(tf.mul(target, tf.log(o)), axis));
}

/** Mean over `axis` of the elementwise binary crossentropy. */
export const binaryCrossentropy = defineLossFn(
  'binary_crossentropy',
  (yTrue, yPred, opts: CrossentropyOptions = {}) => {
    const ls = opts.labelSmoothing ?? 0;
    const t = ls ? tf.add(tf.mul(yTrue, 1 - ls), 0.5 * ls) : yTrue;
    return tf.mean(
      binaryCrossentropyElementwise(t, yPred, opts.fromLogits ?? false),
      opts.axis ?? -1,
    );
  },
);

export interface BinaryFocalOptions extends CrossentropyOptions {
  applyClassBalancing?: boolean;
  alpha?: number;
  gamma?: number;
}

/** Binary crossentropy scaled by `(1 - p_t)^gamma` (and alpha-balanced if asked). */
export const binaryFocalCrossentropy = defineLossFn(
  'binary_focal_crossentropy',
  (yTrue, yPred, opts: BinaryFocalOptions = {}) => {
    const ls = opts.labelSmoothing ?? 0;
    const alpha = opts.alpha ?? 0.25;
    const gamma = opts.gamma ?? 2.0;
    const t = ls ? tf.add(tf.mul(yTrue, 1 - ls), 0.5 * ls) : yTrue;
    const p = opts.fromLogits ? tf.sigmoid(yPred) : yPred;
    const bce = binaryCrossentropyElementwise(t, p, false);
    const pT = tf.add(tf.mul(t, p), tf.mul(tf.sub(1, t), tf.sub(1, p)));
    let focal = tf.mul(tf.pow(tf.sub(1, pT), tf.scalar(gamma)), bce);
    if (opts.applyClassBalancing) {
      focal = tf.mul(tf.add(tf.mul(t, alpha), tf.mul(tf.sub(1, t), 1 - alpha)), focal);
    }
    return tf.mean(focal, opts.axis ?? -1);
  },
);

function smoothCategorical(yTrue: tf.Tensor, yPred: tf.Tensor, ls: number, axis: number) {
  if (!ls) return yTrue;
  const numClasses = yPred.shape[axis] as number;
  return tf.add(tf.mul(yTrue, 1 - ls), ls / numClasses);
}

/** Crossentropy between one-hot (or soft) labels and a distribution along `axis`. */
export const categoricalCrossentropy = defineLossFn(
  'categorical_crossentropy',
  (yTrue, yPred, opts: CrossentropyOptions = {}) => {
    const axis = canonicalizeAxis(opts.axis ?? -1, yPred.rank);
    const t = smoothCategorical(yTrue, yPred, opts.labelSmoothing ?? 0, axis);
    return categoricalCrossentropyOp(t, yPred, opts.fromLogits ?? false, axis);
  },
);

export interface CategoricalFocalOptions extends CrossentropyOptions {
  alpha?: number;
  gamma?: number;
}

/** Categorical crossentropy scaled by `alpha * (1 - p)^gamma` per class. */
export const categoricalFocalCrossentropy = defineLossFn(
  'categorical_focal_crossentropy',
  (yTrue, yPred, opts: CategoricalFocalOptions = {}) => {
    const axis = canonicalizeAxis(opts.axis ?? -1, yPred.rank);
    const t = smoothCategorical(yTrue, yPred, opts.labelSmoothing ?? 0, axis);
    const p = opts.fromLogits ? softmax(yPred, axis) : yPred;
    const eps = epsilon();
    const out = tf.clipByValue(tf.div(p, tf.sum(p, axis, true)), eps, 1 - eps);
    const cce = tf.neg(tf.mul(t, tf.log(out)));
    const factor = tf.mul(tf.pow(tf.sub(1, out), tf.scalar(opts.gamma ?? 2.0)), opts.alpha ?? 0.25);
    return tf.sum(tf.mul(factor, cce), axis);
  },
);

export interface SparseCrossentropyOptions {
  fromLogits?: boolean;
  ignoreClass?: number | null;
  axis?: number;
}

/** Integer labels against a distribution; entries labelled `ignoreClass` give 0. */
export const sparseCategoricalCrossentropy = defineLossFn(
  'sparse_categorical_crossentropy',
  (yTrue, yPred, opts: SparseCrossentropyOptions = {}) => {
    const axis = canonicalizeAxis(opts.axis ?? -1, yPred.rank);
    let labels = yTrue;
    if (labels.rank === yPred.rank && labels.shape[axis] === 1) labels = tf.squeeze(labels, [axis]);
    let valid: tf.Tensor | null = null;
    if (opts.ignoreClass !== undefined && opts.ignoreClass !== null) {
      valid = tf.notEqual(labels, opts.ignoreClass);
      labels = tf.where(valid, labels, tf.zerosLike(labels));
    }
    const numClasses = yPred.shape[axis] as number;
    let oneHot = tf.oneHot(tf.cast(labels, 'int32'), numClasses);
    if (axis !== yPred.rank - 1) {
      // oneHot appends the class axis last; move it to `axis`.
      const perm = [...Array(yPred.rank).keys()];
      perm.splice(axis, 0, perm.pop() as number);
      oneHot = tf.transpose(oneHot, perm);
    }
    const res = categoricalCrossentropyOp(
      tf.cast(oneHot, 'float32'),
      yPred,
      opts.fromLogits ?? false,
      axis,
    );
    return valid ? tf.where(valid, res, tf.zerosLike(res)) : res;
  },
);
