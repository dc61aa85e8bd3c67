import type { Tensor } from '@tensorflow/tfjs-core';

/** Array-like numeric data accepted wherever Keras accepts a numpy array. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint32Array;

export type NestedNumbers = number | boolean | string | NestedNumbers[];

/** One array: a tensor, a typed array or nested JS arrays. */
export type ArrayData = Tensor | TypedArray | NestedNumbers[];

/** Inputs or targets of a batch: one array, a list (by position), or a dict (by layer name). */
export type Structure = ArrayData | ArrayData[] | { [name: string]: ArrayData };

/** A batch as Keras yields it: `(x, y)` or `(x, y, sample_weight)`; `[x]` for predict. */
export type Batch = [Structure] | [Structure, Structure] | [Structure, Structure, Structure];

/** What `model.fit` accepts from this package: the seam in docs/design/package-contracts.md. */
export interface EpochIteratorOptions {
  epoch?: number;
  workers?: number;
  maxQueueSize?: number;
  shuffle?: boolean;
  seed?: number;
}
