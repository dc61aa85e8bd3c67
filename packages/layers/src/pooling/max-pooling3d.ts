import { BasePooling, type PoolingArgs } from './base-pooling.js';

/** Max pooling over 3 spatial dimension(s) (Keras `MaxPooling3D`). */
export class MaxPooling3D extends BasePooling {
  static override className = 'MaxPooling3D';

  constructor(args: PoolingArgs = {}) {
    super(args, { rank: 3, mode: 'max', defaultPoolSize: 2 });
  }
}
