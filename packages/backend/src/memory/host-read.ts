import type * as tf from '@tensorflow/tfjs-core';

type Values = tf.DataTypeMap[keyof tf.DataTypeMap];

/** Values read ahead by `withValuesReadAhead`, by the tensor's data id. */
const readAhead = new Map<object, Values>();

/**
 * A tensor's values on the host for synchronous code (file writers, `getConfig`): the values
 * `withValuesReadAhead` fetched, else a synchronous read, which the wasm, cpu and tensorflow
 * backends have and WebGPU in Node does not.
 */
export function hostRead(t: tf.Tensor): Values {
  return readAhead.get(t.dataId) ?? t.dataSync();
}

/**
 * Runs `run` with the values of `tensors` downloaded first (awaited, all at once), so the
 * synchronous code inside reads them with `hostRead` on every backend. Nested scopes add to
 * the outer one; each removes only what it added.
 */
export async function withValuesReadAhead<T>(
  tensors: Iterable<tf.Tensor>,
  run: () => T | Promise<T>,
): Promise<T> {
  const fresh = [...new Set(tensors)].filter((t) => !t.isDisposed && !readAhead.has(t.dataId));
  const values = await Promise.all(fresh.map((t) => t.data()));
  fresh.forEach((t, i) => {
    readAhead.set(t.dataId, values[i] as Values);
  });
  try {
    return await run();
  } finally {
    for (const t of fresh) readAhead.delete(t.dataId);
  }
}
