import * as tf from '@tensorflow/tfjs-core';
import { type HostArray, toHost } from './codec.js';

/**
 * The arrays of `x` or `y` as host copies, one per model input (output): a tensor, a list of
 * tensors, a nested number array, or a dict by input (output) name.
 */
export async function toHostList(
  value: unknown,
  names: string[],
  what: 'x' | 'y',
): Promise<HostArray[]> {
  const one = async (v: unknown): Promise<HostArray> => {
    const t = v instanceof tf.Tensor ? v : tf.tensor(v as number[]);
    try {
      return await toHost(t);
    } finally {
      if (t !== v) t.dispose();
    }
  };
  if (value instanceof tf.Tensor) return [await one(value)];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof tf.Tensor))
    return Promise.all(value.map(one));
  if (Array.isArray(value)) return [await one(value)];
  if (value && typeof value === 'object') {
    const dict = value as Record<string, unknown>;
    const missing = names.filter((n) => !(n in dict));
    if (missing.length)
      throw new Error(
        `Missing data for ${what === 'x' ? 'input' : 'output'} ${missing.map((m) => `'${m}'`).join(', ')}. Expected keys: ${names.join(', ')}`,
      );
    return Promise.all(names.map((n) => one(dict[n])));
  }
  throw new Error(
    `Expected ${what} to be a tensor, an array, a list or a dict by name. Received: ${typeof value}`,
  );
}

/** Per-sample weights as a host copy. */
export async function sampleWeightsToHost(value: tf.Tensor | number[]): Promise<HostArray> {
  if (value instanceof tf.Tensor) return toHost(value);
  const t = tf.tensor1d(value);
  try {
    return await toHost(t);
  } finally {
    t.dispose();
  }
}
