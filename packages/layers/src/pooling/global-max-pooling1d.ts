import * as tf from '@tensorflow/tfjs-core';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';

/** The maximum over the 1 spatial dimension(s) (Keras `GlobalMaxPooling1D`). */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override className = 'GlobalMaxPooling1D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1);
  }

  protected override reduce(x: tf.Tensor): tf.Tensor {
    return tf.max(x, this.spatialAxes, this.keepdims);
  }
}
