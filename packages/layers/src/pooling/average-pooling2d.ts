import { BasePooling, type PoolingArgs } from './base-pooling.js';

/** Average pooling over 2 spatial dimension(s) (Keras `AveragePooling2D`); windows partly in the 'same' padding average only their real entries, as TF. */
export class AveragePooling2D extends BasePooling {
  static override className = 'AveragePooling2D';

  // Keras 3 requires pool_size here; Keras 2 defaulted it to 2, which is kept for its configs.
  constructor(args: PoolingArgs = {}) {
    super(args, { rank: 2, mode: 'average', defaultPoolSize: 2 });
  }
}
