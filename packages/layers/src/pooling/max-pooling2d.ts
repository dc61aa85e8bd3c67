import { BasePooling, type PoolingArgs } from './base-pooling.js';

/** Max pooling over 2 spatial dimension(s) (Keras `MaxPooling2D`). */
export class MaxPooling2D extends BasePooling {
  static override className = 'MaxPooling2D';

  constructor(args: PoolingArgs = {}) {
    super(args, { rank: 2, mode: 'max', defaultPoolSize: 2 });
  }
}
