import type * as tf from '@tensorflow/tfjs-core';
import { type VariableLike, variableName } from './variable.js';

/** Keras's checks of `apply(grads)` without variables: built, one gradient per variable. */
export function checkGradsForBuiltOptimizer(
  grads: readonly unknown[],
  built: boolean,
  trainableCount: number,
): void {
  if (!built) {
    throw new Error(
      'When passing `grads` without `variables`, the optimizer must already be built on a ' +
        'list of variables. Call `optimizer.build(trainable_variables)` first.',
    );
  }
  if (grads.length !== trainableCount) {
    throw new Error(
      'When passing `grads` as a list of gradient tensors, the gradients must match ' +
        `\`optimizer.variables\` one-to-one. Received a list of ${grads.length} gradients, ` +
        `but the optimizer is tracking ${trainableCount} trainable variables.`,
    );
  }
}

/** Keras's checks of `apply(grads, vars)`: one gradient per variable, all of them known. */
export function checkGradsForVariables(
  grads: readonly unknown[],
  vars: readonly VariableLike[],
  isKnown: (v: VariableLike) => boolean,
): void {
  if (vars.length !== grads.length) {
    throw new Error(
      `Expected one gradient per variable. Received: ${grads.length} gradients for ` +
        `${vars.length} variables.`,
    );
  }
  for (const r of vars) {
    if (!isKnown(r)) {
      throw new Error(
        `Unknown variable: ${variableName(r)}. This optimizer can only be called for the ` +
          'variables it was originally built with. When working with a new set of ' +
          'variables, you should recreate a new optimizer instance.',
      );
    }
  }
}

/**
 * Indices of the gradients that exist. Missing ones are skipped with Keras's warning; none at all
 * is an error.
 */
export function presentGradients(
  grads: readonly (tf.Tensor | null)[],
  refs: readonly VariableLike[],
): number[] {
  const kept: number[] = [];
  const missing: string[] = [];
  grads.forEach((g, k) => {
    if (g) kept.push(k);
    else missing.push(variableName(refs[k] as VariableLike));
  });
  if (kept.length === 0) throw new Error('No gradients provided for any variable.');
  if (missing.length) {
    console.warn(
      `Gradients do not exist for variables [${missing.join(', ')}] when minimizing the loss. ` +
        'If using `model.compile()`, did you forget to provide a `loss` argument?',
    );
  }
  return kept;
}
