import * as tf from '@tensorflow/tfjs-core';
import { isMultipleOf } from './step-context.js';
import type { OptimizerVariable } from './variable.js';

export interface UpdateResult {
  values: tf.Tensor[];
  slots: [OptimizerVariable, tf.Tensor][];
}

/**
 * Keras's gradient accumulation: every `steps`-th call applies the update with the mean of the
 * accumulated gradients and clears the accumulators; the other calls only accumulate. Keras
 * branches with ops.cond; here both branches are computed and selected per tensor, which keeps
 * the step free of host reads.
 */
export function accumulatedUpdate(args: {
  grads: tf.Tensor[];
  variables: tf.Variable[];
  accumulators: OptimizerVariable[];
  /** The raw step counter (one tick per call), float32. */
  rawIteration: tf.Tensor;
  steps: number;
  update: (averaged: tf.Tensor[]) => UpdateResult;
}): UpdateResult {
  const { grads, variables, accumulators, rawIteration, steps, update } = args;
  const isUpdate = isMultipleOf(tf.add(rawIteration, 1), steps);
  const summed = grads.map((g, k) => tf.add(g, (accumulators[k] as OptimizerVariable).value));
  const updated = update(summed.map((g) => tf.div(g, steps)));
  const values = variables.map((v, k) => tf.where(isUpdate, updated.values[k] as tf.Tensor, v));
  const slots: [OptimizerVariable, tf.Tensor][] = updated.slots.map(([slot, t]) => [
    slot,
    tf.where(isUpdate, t, slot.value),
  ]);
  accumulators.forEach((acc, k) => {
    slots.push([acc, tf.where(isUpdate, tf.zerosLike(acc.value), summed[k] as tf.Tensor)]);
  });
  return { values, slots };
}

/**
 * Keras's EMA of the weights: every trainable variable is averaged (the first step copies the
 * weights), and every `overwriteFrequency` steps the averages replace the weights. Writes the
 * new averages into `slots` and the overwritten weights into `values`.
 */
export function emaUpdate(args: {
  iteration: tf.Tensor;
  momentum: number;
  overwriteFrequency: number | null;
  trainable: tf.Variable[];
  averages: OptimizerVariable[];
  values: Map<tf.Variable, tf.Tensor>;
  slots: [OptimizerVariable, tf.Tensor][];
}): void {
  const { iteration, trainable, averages, values, slots } = args;
  const momentum = tf.mul(tf.cast(tf.notEqual(iteration, 0), 'float32'), args.momentum);
  const overwrite = args.overwriteFrequency
    ? isMultipleOf(tf.add(iteration, 1), args.overwriteFrequency)
    : null;
  trainable.forEach((v, i) => {
    const avg = averages[i] as OptimizerVariable;
    const current = values.get(v) ?? v;
    const next = tf.add(tf.mul(momentum, avg.value), tf.mul(tf.sub(1, momentum), current));
    slots.push([avg, next]);
    if (overwrite) values.set(v, tf.where(overwrite, next, current));
  });
}
