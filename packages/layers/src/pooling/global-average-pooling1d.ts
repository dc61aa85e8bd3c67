import * as tf from '@tensorflow/tfjs-core';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';

/**
 * The mean over the steps axis (Keras `GlobalAveragePooling1D`). With a mask (e.g. from
 * Embedding(mask_zero=True)) only unmasked steps count, as in Keras.
 */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override className = 'GlobalAveragePooling1D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1);
    this.supportsMasking = true;
  }

  protected override reduce(x: tf.Tensor, mask: tf.Tensor | null): tf.Tensor {
    const stepsAxis = this.dataFormat === 'channels_last' ? 1 : 2;
    if (mask === null) return tf.mean(x, stepsAxis, this.keepdims);
    return tf.tidy(() => {
      const featureAxis = this.dataFormat === 'channels_last' ? 2 : 1;
      const weights = tf.cast(tf.expandDims(tf.cast(mask, 'bool'), featureAxis), x.dtype);
      const total = tf.sum(tf.mul(x, weights), stepsAxis, this.keepdims);
      return tf.div(total, tf.sum(weights, stepsAxis, this.keepdims));
    });
  }
}
