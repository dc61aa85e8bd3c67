import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Slice by copying contiguous runs straight out of the wasm heap. The stock wasm Slice reads the
 * whole input out of the heap first (`readSync` copies it), so its cost grows with the input, not
 * the slice: taking a 128-row batch out of a 60000 x 784 dataset took ~700 ms, which made every
 * unshuffled fit, evaluate and predict batch pay for the whole dataset. Strings go to the stock
 * kernel.
 */
function withHeapRuns(original: KernelConfig): KernelConfig {
  const stock = original.kernelFunc as KernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return stock(args);
    const a = args.attrs as NamedAttrMap;
    const shape = x.shape;
    const [begin, size] = tf.slice_util.parseSliceParams(
      x,
      a.begin as number[],
      a.size as number[],
    ) as [number[], number[]];
    const heap = args.backend as unknown as HeapBackend;
    // Output first: allocating may grow the heap, which detaches earlier views of it.
    const out = heap.makeOutput([...size], x.dtype);
    const total = size.reduce((p, d) => p * d, 1);
    if (total === 0) return out;
    const src = heap.typedArrayFromHeap(x);
    const dst = heap.typedArrayFromHeap(out);
    const rank = shape.length;
    if (rank === 0) {
      dst[0] = src[0] as number;
      return out;
    }
    // Trailing axes taken whole merge into one contiguous run per position of the axes before.
    let k = rank - 1;
    while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
    const strides = new Array<number>(rank).fill(1);
    for (let i = rank - 2; i >= 0; i--)
      strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
    const run = (size[k] as number) * (strides[k] as number);
    const idx = new Array<number>(k).fill(0);
    let o = 0;
    for (;;) {
      let from = (begin[k] as number) * (strides[k] as number);
      for (let i = 0; i < k; i++)
        from += ((begin[i] as number) + (idx[i] as number)) * (strides[i] as number);
      if (run >= 16) dst.set(src.subarray(from, from + run), o);
      else for (let e = 0; e < run; e++) dst[o + e] = src[from + e] as number;
      o += run;
      let i = k - 1;
      while (i >= 0) {
        idx[i] = (idx[i] as number) + 1;
        if ((idx[i] as number) < (size[i] as number)) break;
        idx[i] = 0;
        i--;
      }
      if (i < 0) break;
    }
    return out;
  };
  return { ...original, kernelFunc };
}

const wrapped = new WeakSet<KernelFunc>();

/** Replaces the wasm Slice kernel with its heap-run form. */
export function registerFastSlice(): void {
  const current = tf.getKernel('Slice', 'wasm');
  if (current == null || wrapped.has(current.kernelFunc as KernelFunc)) return;
  const next = withHeapRuns(current);
  wrapped.add(next.kernelFunc as KernelFunc);
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel(next);
}
