import * as tf from '@tensorflow/tfjs-core';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';

/** The mean over the 3 spatial dimension(s) (Keras `GlobalAveragePooling3D`). */
export class GlobalAveragePooling3D extends BaseGlobalPooling {
  static override className = 'GlobalAveragePooling3D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 3);
  }

  protected override reduce(x: tf.Tensor): tf.Tensor {
    return tf.mean(x, this.spatialAxes, this.keepdims);
  }
}
