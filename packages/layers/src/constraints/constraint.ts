import type * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';

/** Base of every weight constraint: `call(w)` returns the projected weight (applied after updates). */
export abstract class Constraint {
  static className = 'Constraint';
  static module = 'keras.constraints';

  abstract call(w: tf.Tensor): tf.Tensor;

  getConfig(): Config {
    return {};
  }

  static fromConfig<T extends Constraint>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Config,
  ): T {
    return new this(configToArgs(config));
  }
}
