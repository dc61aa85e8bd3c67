import type * as tf from '@tensorflow/tfjs-core';
import type { Config, DType } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';

/** Base of every initializer: `call(shape, dtype)` returns a fresh tensor of that shape. */
export abstract class Initializer {
  /** Keras's class name, as written in configs. */
  static className = 'Initializer';
  /** Keras's module for built-ins, as written in Keras 3 configs. */
  static module = 'keras.initializers';

  abstract call(shape: number[], dtype?: DType): tf.Tensor;

  /** Exactly Keras 3's `get_config()`. */
  getConfig(): Config {
    return {};
  }

  /** Builds an instance from a Keras config (both dialects). */
  static fromConfig<T extends Initializer>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Config,
  ): T {
    return new this(configToArgs(config));
  }
}
