/**
 * Test helpers: run a layer on fixed weights and input, and move arrays between channels_first
 * and channels_last for the references (which are channels_last). Test-only.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '../../engine/layer.js';
import type { NdArray } from './reference.js';

export const tensorOf = (a: NdArray): tf.Tensor => tf.tensor(a.data, a.shape);

/** Builds `layer` for `x`, sets `weights` (in `layer.weights` order) and returns `layer(x)`. */
export function runWithWeights(
  layer: Layer,
  x: tf.Tensor,
  weights: NdArray[],
  callArgs: Record<string, unknown> = {},
): tf.Tensor {
  layer.maybeBuild(x.shape);
  layer.setWeights(weights.map(tensorOf));
  return layer.apply(x, callArgs) as tf.Tensor;
}

/** channels_last -> channels_first for a reference array. */
export function toFirst(a: NdArray): NdArray {
  const t = tf.tensor(a.data, a.shape);
  const rank = a.shape.length;
  const perm = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
  const y = tf.transpose(t, perm);
  const out = { data: Array.from(y.dataSync()), shape: y.shape };
  tf.dispose([t, y]);
  return out;
}
