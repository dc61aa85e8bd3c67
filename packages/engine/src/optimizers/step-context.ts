import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerVariable } from './variable.js';

/** What one variable's update step produces: its new value and its slots' new values. */
export interface StepResult {
  value: tf.Tensor;
  slots: [OptimizerVariable, tf.Tensor][];
}

/** The per-step inputs an `updateStep` reads (all tensors, so no host sync is needed). */
export interface StepContext {
  /** The learning rate of this step, float32 scalar. */
  lr: tf.Tensor;
  /** `iterations + 1` as float32 (Keras's `local_step`; counts applied updates). */
  localStep: tf.Tensor;
  /** `base ^ localStep`, computed once per step and shared by every variable. */
  power(base: number): tf.Tensor;
  /** A per-step value shared by every variable's update (computed on first use). */
  memo(key: string, make: () => tf.Tensor): tf.Tensor;
}

/** A StepContext whose scalar terms are computed once per step rather than once per variable. */
export function makeStepContext(lr: tf.Tensor, localStep: tf.Tensor): StepContext {
  const cache = new Map<string, tf.Tensor>();
  const memo = (key: string, make: () => tf.Tensor) => {
    let t = cache.get(key);
    if (!t) {
      t = make();
      cache.set(key, t);
    }
    return t;
  };
  return {
    lr,
    localStep,
    memo,
    // exp(t * ln b): the wasm Pow kernel costs ~1 ms even on scalars, exp is cheap.
    power: (base: number) => memo(`pow:${base}`, () => tf.exp(tf.mul(localStep, Math.log(base)))),
  };
}

/** `x % n == 0` for a float scalar holding an integer (exact below 2^24). */
export function isMultipleOf(x: tf.Tensor, n: number): tf.Tensor {
  return tf.equal(tf.sub(x, tf.mul(tf.floor(tf.div(x, n)), n)), 0);
}
