import { BasePooling, type PoolingArgs } from './base-pooling.js';

/** Max pooling over 1 spatial dimension(s) (Keras `MaxPooling1D`). */
export class MaxPooling1D extends BasePooling {
  static override className = 'MaxPooling1D';

  constructor(args: PoolingArgs = {}) {
    super(args, { rank: 1, mode: 'max', defaultPoolSize: 2 });
  }
}
