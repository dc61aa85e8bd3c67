import * as tf from '@tensorflow/tfjs-core';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';

/** The maximum over the 3 spatial dimension(s) (Keras `GlobalMaxPooling3D`). */
export class GlobalMaxPooling3D extends BaseGlobalPooling {
  static override className = 'GlobalMaxPooling3D';

  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 3);
  }

  protected override reduce(x: tf.Tensor): tf.Tensor {
    return tf.max(x, this.spatialAxes, this.keepdims);
  }
}
