import * as tf from '@tensorflow/tfjs-core';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';

/** The mean over the 2 spatial dimension(s) (Keras `GlobalAveragePooling2D`). */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override className = 'GlobalAveragePooling2D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2);
  }

  protected override reduce(x: tf.Tensor): tf.Tensor {
    return tf.mean(x, this.spatialAxes, this.keepdims);
  }
}
