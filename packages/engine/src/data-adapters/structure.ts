import * as tf from '@tensorflow/tfjs-core';

/** A model's inputs or targets: one value, a list (by position) or a dict (by name). */
export type Structure<T> = T | T[] | { [name: string]: T };

/** Anything fit/predict accept as array data: tensors, nested number/string arrays, typed arrays. */
export type ArrayLikeData = tf.Tensor | tf.TensorLike;

export function isTensor(v: unknown): v is tf.Tensor {
  return v instanceof tf.Tensor;
}

/** A leaf is a tensor, a typed array or a (nested) array of scalars, never a list of leaves. */
export function isLeaf(v: unknown): boolean {
  if (isTensor(v) || ArrayBuffer.isView(v)) return true;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return true;
  if (!Array.isArray(v)) return false;
  let first: unknown = v;
  while (Array.isArray(first)) {
    if (first.length === 0) return true;
    first = first[0];
  }
  return typeof first === 'number' || typeof first === 'string' || typeof first === 'boolean';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v) &&
    !isTensor(v) &&
    Object.getPrototypeOf(v) === Object.prototype
  );
}

/** Applies `fn` to every leaf, keeping the list/dict shape around them. */
export function mapStructure<A, B>(s: Structure<A>, fn: (leaf: A, key: string) => B): Structure<B> {
  if (isLeaf(s)) return fn(s as A, '');
  if (Array.isArray(s)) return s.map((v, i) => fn(v as A, String(i)));
  if (isPlainObject(s)) {
    const out: Record<string, B> = {};
    for (const [k, v] of Object.entries(s)) out[k] = fn(v as A, k);
    return out;
  }
  return fn(s as A, '');
}

/** All leaves, in list order or dict insertion order. */
export function flattenStructure<A>(s: Structure<A> | null | undefined): A[] {
  if (s === null || s === undefined) return [];
  if (isLeaf(s)) return [s as A];
  if (Array.isArray(s)) return s as A[];
  if (isPlainObject(s)) return Object.values(s) as A[];
  return [s as A];
}

/**
 * Converts user data to a tensor. Number arrays become float32 unless `dtype` says otherwise;
 * string arrays become string tensors. Returns whether a new tensor was made (and is owned).
 */
export function toTensor(
  v: unknown,
  what: string,
  dtype?: tf.DataType,
): { t: tf.Tensor; owned: boolean } {
  if (isTensor(v)) {
    if (v.isDisposed) {
      throw new Error(
        `${what} is a disposed tensor. Note: the loops dispose the tensors a generator or ` +
          'Sequence creates for a batch after its step; make tensors that are yielded more than ' +
          'once before calling fit.',
      );
    }
    return { t: v, owned: false };
  }
  if (v === null || v === undefined) {
    throw new Error(`Expected ${what} to be a tensor or an array. Received: ${String(v)}`);
  }
  try {
    let first: unknown = v;
    while (Array.isArray(first)) first = first[0];
    if (typeof first === 'string')
      return { t: tf.tensor(v as tf.TensorLike, undefined, 'string'), owned: true };
    const wanted = dtype === 'string' ? undefined : dtype;
    return { t: tf.tensor(v as tf.TensorLike, undefined, wanted ?? 'float32'), owned: true };
  } catch (e) {
    throw new Error(
      `Could not convert ${what} to a tensor (expected a tensor, a typed array or a rectangular ` +
        `nested array): ${(e as Error).message}`,
    );
  }
}
