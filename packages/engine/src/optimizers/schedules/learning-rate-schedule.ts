import * as tf from '@tensorflow/tfjs-core';

/** A Keras 3 serialized object: `{module, class_name, config, registered_name}`. */
export interface SerializedKerasObject {
  module?: string | null;
  class_name: string;
  config: Record<string, unknown>;
  registered_name?: string | null;
}

/**
 * A learning rate as a function of the optimizer step (`keras.optimizers.schedules`). `call` gets
 * the step as a scalar tensor and returns a scalar float tensor, so the optimizer step stays on
 * device with no host read.
 */
export abstract class LearningRateSchedule {
  /** Keras class name, used in serialized configs. */
  static className = 'LearningRateSchedule';

  abstract call(step: tf.Tensor): tf.Tensor;

  /** Keras 3 `get_config()` (snake_case keys). */
  abstract getConfig(): Record<string, unknown>;

  /** The learning rate at `step`, read on the host (for logs and tests). */
  valueAt(step: number): number {
    return tf.tidy(() => this.call(tf.scalar(step, 'int32')).dataSync()[0] as number);
  }
}

export function checkPositiveSteps(argName: string, value: number): void {
  if (!(typeof value === 'number' && value > 0)) {
    throw new Error(`Argument \`${argName}\` must be > 0. Received: ${argName}=${value}`);
  }
}

export function toFloat(step: tf.Tensor): tf.Tensor {
  return step.dtype === 'float32' ? step : tf.cast(step, 'float32');
}

/**
 * `base ^ exponent` for a constant positive base as exp(exponent * ln base): the wasm Pow
 * kernel costs about a millisecond even on scalars, and schedules run every step.
 */
export function constPow(base: number, exponent: tf.Tensor): tf.Tensor {
  if (base === 1) return tf.onesLike(exponent);
  if (base > 0) return tf.exp(tf.mul(exponent, Math.log(base)));
  return tf.pow(tf.scalar(base), exponent);
}
