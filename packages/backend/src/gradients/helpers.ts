import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Sums a gradient that was broadcast up to `dy.shape` back down to `shape` (numpy broadcasting:
 * leading axes that the input lacks, and axes where the input had size 1).
 */
export function reduceToShape(dy: Tensor, shape: readonly number[]): Tensor {
  // A new tensor object even when no reduction is needed: tfjs accumulates and disposes input
  // gradients one by one, so handing the same object to two inputs (Add's a and b) would dispose
  // a gradient still in use. clone shares the data; it costs no copy.
  if (dy.shape.length === shape.length && dy.shape.every((d, i) => d === shape[i]))
    return tf.clone(dy);
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.rank; i++) {
    if (i < lead) {
      axes.push(i);
    } else if (shape[i - lead] === 1 && dy.shape[i] !== 1) {
      axes.push(i);
    }
  }
  const summed = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(summed, [...shape]);
}

/** Normalises an axis attribute (number, list or absent) to sorted non-negative axes. */
export function normalizeAxes(axis: unknown, rank: number): number[] {
  let list: number[];
  if (axis == null) list = Array.from({ length: rank }, (_, i) => i);
  else if (Array.isArray(axis)) list = axis as number[];
  else list = [axis as number];
  return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

/** The shape a reduction over `axes` has with keepDims, so a reduced gradient can broadcast. */
export function keepDimsShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Reads a typed attribute; gradFuncs get attrs as a loose map. */
export function attr<T>(attrs: NamedAttrMap, name: string): T {
  return attrs[name] as unknown as T;
}

/** First saved tensor by position, with a clear error if the engine saved fewer. */
export function savedAt(saved: Tensor[], i: number, kernel: string): Tensor {
  const t = saved[i];
  if (t == null) throw new Error(`Gradient of ${kernel}: expected saved tensor #${i}, got none.`);
  return t;
}

/** dy as a single tensor (kernels with one output). */
export function single(dy: Tensor | Tensor[]): Tensor {
  if (Array.isArray(dy)) {
    const first = dy[0];
    if (first == null) throw new Error('Expected one upstream gradient. Received: none.');
    return first;
  }
  return dy;
}

/** dy as a list (kernels with several outputs). */
export function many(dy: Tensor | Tensor[]): Tensor[] {
  return Array.isArray(dy) ? dy : [dy];
}

/** A float 0/1 mask from a boolean tensor, in dy's dtype. */
export function mask(cond: Tensor): Tensor {
  return tf.cast(cond, 'float32');
}
