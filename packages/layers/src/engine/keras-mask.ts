import type * as tf from '@tensorflow/tfjs-core';

// Keras attaches masks to tensors (`_keras_mask`); tfjs tensors are frozen-ish objects owned by
// tfjs, so the association lives here instead, weakly, so it never keeps a tensor alive.
const masks = new WeakMap<tf.Tensor, tf.Tensor>();

/** The mask a layer call attached to `t`, or null (also when the mask was disposed since). */
export function getKerasMask(t: tf.Tensor): tf.Tensor | null {
  const m = masks.get(t);
  return m === undefined || m.isDisposed ? null : m;
}

/** Attaches (or, with null, removes) the mask of `t`. */
export function setKerasMask(t: tf.Tensor, mask: tf.Tensor | null): void {
  if (mask === null) masks.delete(t);
  else masks.set(t, mask);
}
