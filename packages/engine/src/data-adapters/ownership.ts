import * as tf from '@tensorflow/tfjs-core';

/**
 * Tracks which tensors a data source made for us. Tensor ids grow monotonically, so a tensor
 * whose id is at or above the watermark taken just before pulling a batch was created by that
 * pull: the loop owns it and disposes it after the step. Tensors the user made beforehand (a
 * generator that yields the same `x` every time) are older and are left alone.
 */
export function watermark(): number {
  // Engine.nextTensorId is public in the JS build but marked private in the typings.
  return (tf.engine() as unknown as { nextTensorId(): number }).nextTensorId();
}

export function collectOwned(tensors: tf.Tensor[], mark: number, into: Set<tf.Tensor>): void {
  for (const t of tensors) if (t.id >= mark && !(t instanceof tf.Variable)) into.add(t);
}

export function disposeOwned(owned: Set<tf.Tensor>): void {
  for (const t of owned) if (!t.isDisposed) t.dispose();
  owned.clear();
}
