import * as tf from '@tensorflow/tfjs-core';

/** A tensor flattened for postMessage: the buffer is transferred, not copied. */
interface EncodedTensor {
  __kerasTsTensor: true;
  dtype: tf.DataType;
  shape: number[];
  data: ArrayBufferView | string[];
}

function isTensor(v: unknown): v is tf.Tensor {
  return typeof v === 'object' && v !== null && 'dataSync' in v && 'shape' in v && 'dtype' in v;
}

function isEncoded(v: unknown): v is EncodedTensor {
  return typeof v === 'object' && v !== null && '__kerasTsTensor' in v;
}

/**
 * Replaces every tensor in a batch by its data (disposing the tensor) and collects the buffers
 * to transfer. Typed arrays and plain arrays travel as they are.
 */
export function encodeBatch(value: unknown, transfer: ArrayBuffer[]): unknown {
  if (isTensor(value)) {
    const data =
      value.dtype === 'string' ? (value.dataSync() as unknown as string[]) : value.dataSync();
    const encoded: EncodedTensor = {
      __kerasTsTensor: true,
      dtype: value.dtype,
      shape: [...value.shape],
      data: data as ArrayBufferView | string[],
    };
    value.dispose();
    if (ArrayBuffer.isView(data)) transfer.push(data.buffer as ArrayBuffer);
    return encoded;
  }
  if (ArrayBuffer.isView(value)) {
    transfer.push(value.buffer as ArrayBuffer);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => encodeBatch(v, transfer));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeBatch(v, transfer)]));
  }
  return value;
}

/** Turns encoded tensors back into tensors of this thread's tfjs engine. */
export function decodeBatch(value: unknown): unknown {
  if (isEncoded(value)) {
    return tf.tensor(value.data as tf.TypedArray | string[], value.shape, value.dtype);
  }
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(decodeBatch);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeBatch(v)]));
  }
  return value;
}

/** Disposes every tensor in a decoded batch (used when a batch is abandoned). */
export function disposeBatch(value: unknown): void {
  if (isTensor(value)) value.dispose();
  else if (Array.isArray(value)) value.forEach(disposeBatch);
  else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    Object.values(value).forEach(disposeBatch);
  }
}
