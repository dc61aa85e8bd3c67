import * as tf from '@tensorflow/tfjs-core';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';

/** The maximum over the 2 spatial dimension(s) (Keras `GlobalMaxPooling2D`). */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override className = 'GlobalMaxPooling2D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2);
  }

  protected override reduce(x: tf.Tensor): tf.Tensor {
    return tf.max(x, this.spatialAxes, this.keepdims);
  }
}
