import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type Info = ReturnType<typeof tf.backend_util.computePool3DInfo>;

/**
 * Routes each window's dy to its first maximum in scan order (TF's tie rule). Windows are
 * clipped to the input, so 'same' windows that reach into the trailing padding still pass their
 * gradient on: the stock wasm MaxPool3DGrad kernel drops those.
 */
function scatter(info: Info, x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const { batchSize, inDepth, inHeight, inWidth, inChannels: C } = info;
  const { outDepth, outHeight, outWidth, strideDepth, strideHeight, strideWidth } = info;
  const fd = info.effectiveFilterDepth;
  const fh = info.effectiveFilterHeight;
  const fw = info.effectiveFilterWidth;
  const { front, top, left } = info.padInfo;
  dx.fill(0);
  let gi = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let od = 0; od < outDepth; od++) {
      const d0 = od * strideDepth - front;
      const dStart = Math.max(0, d0);
      const dEnd = Math.min(inDepth, d0 + fd);
      for (let oh = 0; oh < outHeight; oh++) {
        const h0 = oh * strideHeight - top;
        const hStart = Math.max(0, h0);
        const hEnd = Math.min(inHeight, h0 + fh);
        for (let ow = 0; ow < outWidth; ow++, gi += C) {
          const w0 = ow * strideWidth - left;
          const wStart = Math.max(0, w0);
          const wEnd = Math.min(inWidth, w0 + fw);
          for (let c = 0; c < C; c++) {
            let best = Number.NEGATIVE_INFINITY;
            let at = -1;
            for (let d = dStart; d < dEnd; d++) {
              for (let h = hStart; h < hEnd; h++) {
                const row = ((b * inDepth + d) * inHeight + h) * inWidth;
                for (let w = wStart; w < wEnd; w++) {
                  const i = (row + w) * C + c;
                  const v = x[i] as number;
                  if (v > best) {
                    best = v;
                    at = i;
                  }
                }
              }
            }
            if (at >= 0) dx[at] = (dx[at] as number) + (g[gi + c] as number);
          }
        }
      }
    }
  }
}

function poolInfo(input: TensorInfo, a: NamedAttrMap): Info {
  return tf.backend_util.computePool3DInfo(
    input.shape as [number, number, number, number, number],
    a.filterSize as [number, number, number] | number,
    a.strides as [number, number, number] | number,
    1,
    a.pad as 'valid' | 'same' | number,
    a.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
}

/** wasm: reads and writes straight in the wasm heap (no copies through JS arrays). */
function wasmKernel(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const input = inputs.input as TensorInfo;
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return stock(args);
    const heap = backend as unknown as HeapBackend;
    const out = heap.makeOutput([...input.shape], 'float32');
    scatter(
      poolInfo(input, attrs as NamedAttrMap),
      heap.typedArrayFromHeap(input) as Float32Array,
      heap.typedArrayFromHeap(dy) as Float32Array,
      heap.typedArrayFromHeap(out) as Float32Array,
    );
    return out;
  };
}

const wrapped = new WeakSet<KernelFunc>();

/**
 * Replaces the wasm MaxPool3DGrad kernel (other dtypes: the stock one). The stock cpu kernel is
 * right (the cpu cases in the test check it), so it stays.
 */
export function registerMaxPool3DGrad(): void {
  const current = tf.getKernel('MaxPool3DGrad', 'wasm');
  if (current == null || wrapped.has(current.kernelFunc as KernelFunc)) return;
  const kernelFunc = wasmKernel(current.kernelFunc as KernelFunc);
  wrapped.add(kernelFunc);
  tf.unregisterKernel('MaxPool3DGrad', 'wasm');
  tf.registerKernel({ ...current, kernelFunc });
}
