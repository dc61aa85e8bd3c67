import * as tf from '@tensorflow/tfjs-core';

/** A tensor as plain data, for postMessage between a replica and the main thread. */
export interface HostArray {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/**
 * A tensor's values on the host (a copy, safe to transfer). Awaited: the WebGPU backend in Node
 * has no synchronous read.
 */
export async function toHost(t: tf.Tensor): Promise<HostArray> {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') {
    const cast = tf.cast(t, 'float32');
    try {
      return await toHost(cast);
    } finally {
      cast.dispose();
    }
  }
  // The cpu backend hands out its own storage: copy before it is transferred to a replica.
  const data = ((await t.data()) as Float32Array | Int32Array).slice();
  return { data, shape: [...t.shape], dtype: t.dtype };
}

export function fromHost(a: HostArray): tf.Tensor {
  return tf.tensor(a.data, a.shape, a.dtype);
}

/** Rows [start, start + size) of a host array (a copy, safe to transfer). */
export function sliceRows(a: HostArray, start: number, size: number): HostArray {
  const per = a.shape.slice(1).reduce((p, d) => p * d, 1);
  return {
    data: a.data.slice(start * per, (start + size) * per),
    shape: [size, ...a.shape.slice(1)],
    dtype: a.dtype,
  };
}

/** Rows picked by index (a shuffled batch). */
export function takeRows(a: HostArray, rows: ArrayLike<number>): HostArray {
  const per = a.shape.slice(1).reduce((p, d) => p * d, 1);
  const out = new (a.data.constructor as Float32ArrayConstructor)(rows.length * per);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    out.set(a.data.subarray(r * per, (r + 1) * per), i * per);
  }
  return { data: out, shape: [rows.length, ...a.shape.slice(1)], dtype: a.dtype };
}

/** Concatenates host arrays along the first axis. */
export function concatRows(parts: HostArray[]): HostArray {
  const first = parts[0];
  if (!first) throw new Error('concatRows needs at least one part');
  const total = parts.reduce((s, p) => s + (p.shape[0] as number), 0);
  const out = new (first.data.constructor as Float32ArrayConstructor)(
    parts.reduce((s, p) => s + p.data.length, 0),
  );
  let o = 0;
  for (const p of parts) {
    out.set(p.data, o);
    o += p.data.length;
  }
  return { data: out, shape: [total, ...first.shape.slice(1)], dtype: first.dtype };
}

export function transferList(arrays: HostArray[]): ArrayBuffer[] {
  return arrays.map((a) => a.data.buffer as ArrayBuffer);
}
