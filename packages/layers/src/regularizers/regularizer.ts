import type * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';

/** Base of every weight/activity regularizer: `call(x)` returns a scalar penalty. */
export abstract class Regularizer {
  static className = 'Regularizer';
  static module = 'keras.regularizers';

  abstract call(x: tf.Tensor): tf.Scalar;

  getConfig(): Config {
    return {};
  }

  static fromConfig<T extends Regularizer>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Config,
  ): T {
    return new this(configToArgs(config));
  }
}
