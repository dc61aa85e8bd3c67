import * as tf from '@tensorflow/tfjs-core';

function check(t: tf.Tensor, target: Float32Array, offset: number): void {
  if (t.dtype === 'string' || t.dtype === 'complex64') {
    throw new Error(`readInto expects a real-valued tensor. Received: dtype=${t.dtype}`);
  }
  if (offset < 0 || offset + t.size > target.length) {
    throw new Error(
      `readInto: ${t.size} values do not fit in a target of ${target.length} at offset ${offset}.`,
    );
  }
}

interface HeapBackend {
  dataIdMap: { has(dataId: object): boolean };
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function heapOf(t: tf.Tensor): HeapBackend | null {
  if (tf.getBackend() !== 'wasm') return null;
  const b = tf.backend() as unknown as Partial<HeapBackend>;
  if (typeof b.typedArrayFromHeap !== 'function' || !b.dataIdMap?.has(t.dataId)) return null;
  return b as HeapBackend;
}

/**
 * Copies a tensor's values (as float32) into `target` from `offset`. On the wasm backend the copy is
 * taken straight from a view of the wasm heap: `dataSync` would allocate a fresh array per call,
 * and a data-parallel step that reads every gradient and weight (hundreds of thousands of values)
 * then spends more time in allocation and garbage collection than in copying. Other backends
 * read with `dataSync`, and so do int32 and bool tensors (converted to float32).
 */
export function readInto(t: tf.Tensor, target: Float32Array, offset = 0): void {
  check(t, target, offset);
  const heap = t.dtype === 'float32' ? heapOf(t) : null;
  if (heap) {
    // A view for this copy only: the heap may grow (and detach views) at the next allocation.
    target.set(heap.typedArrayFromHeap(t) as Float32Array, offset);
    return;
  }
  target.set(t.dataSync() as Float32Array, offset);
}

/**
 * `readInto` for every backend: the wasm heap copy where there is one, else an awaited download,
 * since the WebGPU backend in Node has no synchronous read at all.
 */
export async function readIntoAsync(t: tf.Tensor, target: Float32Array, offset = 0): Promise<void> {
  check(t, target, offset);
  if (t.dtype === 'float32' && heapOf(t)) {
    readInto(t, target, offset);
    return;
  }
  target.set((await t.data()) as Float32Array, offset);
}
