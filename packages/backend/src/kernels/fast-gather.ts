import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** The parts of the wasm backend a heap-copying kernel uses. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/**
 * Copies the selected slices out of the wasm heap with TypedArray.set. The stock wasm GatherV2
 * computes a strided index for every element: gathering a 128-row batch of 784 features took
 * ~17 ms, the 50 per-step gathers of an LSTM ~2 ms each; whole-row copies take microseconds.
 * Only the common case (batchDims 0, numeric dtypes) is taken here; the rest goes to the stock
 * kernel.
 */
function withRowCopies(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc as KernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as TensorInfo;
    const indices = inputs.indices as TensorInfo;
    const batchDims = Number((attrs as NamedAttrMap).batchDims ?? 0);
    if (batchDims !== 0 || x.dtype === 'string' || indices.dtype !== 'int32') return inner(args);
    const axis = tf.util.parseAxisParam((attrs as NamedAttrMap).axis as number, x.shape)[0] ?? 0;
    const dim = x.shape[axis] as number;
    const outer = size(x.shape.slice(0, axis));
    const inner_ = size(x.shape.slice(axis + 1));
    const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const heap = backend as unknown as HeapBackend;
    // The output first: allocating may grow the heap, which detaches earlier views of it.
    const out = heap.makeOutput(outShape, x.dtype);
    const idx = heap.typedArrayFromHeap(indices) as Int32Array;
    for (const i of idx) {
      if (!(i >= 0 && i < dim)) {
        (backend as { disposeData(id: object): void }).disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${i} is not in [0, ${dim - 1}]`);
      }
    }
    const src = heap.typedArrayFromHeap(x);
    const dst = heap.typedArrayFromHeap(out);
    const n = idx.length;
    let o = 0;
    for (let b = 0; b < outer; b++) {
      const base = b * dim * inner_;
      for (let k = 0; k < n; k++) {
        const from = base + (idx[k] as number) * inner_;
        if (inner_ >= 16) dst.set(src.subarray(from, from + inner_), o);
        else for (let e = 0; e < inner_; e++) dst[o + e] = src[from + e] as number;
        o += inner_;
      }
    }
    return out;
  };
  return { ...original, kernelFunc };
}

const wrapped = new WeakSet<KernelFunc>();

/** Replaces the wasm GatherV2 kernel with its row-copying form. */
export function registerFastGather(): void {
  const current = tf.getKernel('GatherV2', 'wasm');
  if (current == null || wrapped.has(current.kernelFunc as KernelFunc)) return;
  const next = withRowCopies(current);
  wrapped.add(next.kernelFunc as KernelFunc);
  tf.unregisterKernel('GatherV2', 'wasm');
  tf.registerKernel(next);
}
