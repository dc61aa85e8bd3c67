import * as tf from '@tensorflow/tfjs-core';
import { type LossArgs, LossFunctionWrapper, type TensorInput, toFloatTensor } from './loss.js';

const NEG = -1e30;

/** log(exp(a) + exp(b)) elementwise, stable for the large negatives that stand for log 0. */
function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const m = tf.maximum(a, b);
  return tf.add(m, tf.log(tf.add(tf.exp(tf.sub(a, m)), tf.exp(tf.sub(b, m)))));
}

/**
 * Connectionist temporal classification loss per sample, as Keras's `ctc`: `yTrue` is
 * (batch, maxLabelLength) integer labels padded with the blank 0 (label length = count of
 * non-zero entries), `yPred` is (batch, time, classes) logits; blank index 0; every time step is
 * used. The forward (alpha) recursion runs in log space over the blank-interleaved labels.
 */
export function ctc(yTrue: TensorInput, yPred: TensorInput): tf.Tensor {
  return tf.tidy(() => {
    const labels = tf.cast(toFloatTensor(yTrue), 'int32');
    const logits = toFloatTensor(yPred);
    if (labels.rank !== 2) {
      throw new Error(
        'Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in ' +
          `integer format. Received: y_true.shape=[${labels.shape}]`,
      );
    }
    if (logits.rank !== 3) {
      throw new Error(
        'Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, ' +
          `num_classes)\`. Received: y_pred.shape=[${logits.shape}]`,
      );
    }
    const [batch, time, classes] = logits.shape as [number, number, number];
    const maxLen = labels.shape[1] as number;
    const labelLength = tf.sum(tf.cast(tf.notEqual(labels, 0), 'int32'), 1);
    // The first `labelLength` labels, blank-interleaved: b l1 b l2 ... b (padding lies beyond).
    const S = 2 * maxLen + 1;
    const ext = tf.stack(
      Array.from({ length: S }, (_, s) =>
        s % 2 === 0
          ? tf.zeros([batch], 'int32')
          : tf.reshape(tf.slice(labels, [0, (s - 1) / 2], [batch, 1]), [batch]),
      ),
      1,
    );
    const logProbs = tf.logSoftmax(logits);
    // emit[b, t, s] = log p(ext[b, s] at time t)
    const oneHot = tf.cast(tf.oneHot(ext, classes), 'float32'); // [B, S, C]
    const emit = tf.matMul(logProbs, oneHot, false, true); // [B, T, S]
    const sIdx = tf.range(0, S, 1, 'int32');
    // A skip from s-2 is allowed onto a label that differs from the label two back.
    const prev2 = tf.concat(
      [tf.fill([batch, 2], -1, 'int32'), tf.slice(ext, [0, 0], [batch, S - 2])],
      1,
    );
    const canSkip = tf.logicalAnd(tf.notEqual(ext, 0), tf.notEqual(ext, prev2));
    const valid = tf.less(
      tf.expandDims(sIdx, 0),
      tf.expandDims(tf.add(tf.mul(labelLength, 2), 1), 1),
    );
    const negs = tf.fill([batch, S], NEG);
    const step0 = tf.reshape(tf.slice(emit, [0, 0, 0], [batch, 1, S]), [batch, S]);
    let alpha = tf.where(tf.logicalAnd(tf.less(tf.expandDims(sIdx, 0), 2), valid), step0, negs);
    for (let t = 1; t < time; t++) {
      const shift1 = tf.concat(
        [tf.fill([batch, 1], NEG), tf.slice(alpha, [0, 0], [batch, S - 1])],
        1,
      );
      const shift2 = tf.concat(
        [tf.fill([batch, 2], NEG), tf.slice(alpha, [0, 0], [batch, S - 2])],
        1,
      );
      let acc = logAddExp(alpha, shift1);
      acc = tf.where(canSkip, logAddExp(acc, shift2), acc);
      const e = tf.reshape(tf.slice(emit, [0, t, 0], [batch, 1, S]), [batch, S]);
      alpha = tf.where(valid, tf.add(acc, e), negs);
    }
    // Paths end on the last label or the trailing blank.
    const last = tf.mul(labelLength, 2);
    const endMask = tf.logicalOr(
      tf.equal(tf.expandDims(sIdx, 0), tf.expandDims(last, 1)),
      tf.equal(tf.expandDims(sIdx, 0), tf.expandDims(tf.sub(last, 1), 1)),
    );
    return tf.neg(tf.logSumExp(tf.where(endMask, alpha, negs), 1));
  });
}

/** Keras `CTC` loss class (reduction over the per-sample CTC losses). */
export class CTC extends LossFunctionWrapper {
  static override className = 'CTC';
  constructor(args: LossArgs = {}) {
    super((t, p) => ctc(t, p), { ...args, name: args.name ?? 'ctc' });
  }
  // Labels (batch, length) and logits (batch, time, classes) differ in rank by design.
  override computeValues(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return this.fn(yTrue, yPred);
  }
}
