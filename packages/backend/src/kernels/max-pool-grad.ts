import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * MaxPoolGrad (NHWC) in one pass over the pooling windows: each window's gradient goes to its
 * first maximum in scan order (TF's and tfjs-cpu's tie rule). The stock wasm kernel revisits
 * every window for every input cell: ~40 ms for a [64, 26, 26, 32] input, against a few ms here.
 */
function onePass(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const dy = inputs.dy as TensorInfo;
    const input = inputs.input as TensorInfo;
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return stock(args);
    const a = attrs as NamedAttrMap;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      a.filterSize as [number, number] | number,
      a.strides as [number, number] | number,
      1,
      a.pad as 'valid' | 'same' | number,
      a.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    );
    const heap = backend as unknown as HeapBackend;
    const out = heap.makeOutput([...input.shape], 'float32');
    const dx = heap.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
    const x = heap.typedArrayFromHeap(input) as Float32Array;
    const g = heap.typedArrayFromHeap(dy) as Float32Array;
    const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
    const { strideHeight, strideWidth, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
    const { top, left } = info.padInfo;
    let gi = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        const h0 = oh * strideHeight - top;
        const hStart = Math.max(0, h0);
        const hEnd = Math.min(inHeight, h0 + fh);
        for (let ow = 0; ow < outWidth; ow++, gi += C) {
          const w0 = ow * strideWidth - left;
          const wStart = Math.max(0, w0);
          const wEnd = Math.min(inWidth, w0 + fw);
          // Channel by channel, so the running max and its position stay in locals.
          for (let c = 0; c < C; c++) {
            let best = Number.NEGATIVE_INFINITY;
            let at = -1;
            for (let h = hStart; h < hEnd; h++) {
              const row = (b * inHeight + h) * inWidth;
              for (let w = wStart; w < wEnd; w++) {
                const i = (row + w) * C + c;
                const v = x[i] as number;
                if (v > best) {
                  best = v;
                  at = i;
                }
              }
            }
            if (at >= 0) dx[at] = (dx[at] as number) + (g[gi + c] as number);
          }
        }
      }
    }
    return out;
  };
}

const wrapped = new WeakSet<KernelFunc>();

/** Replaces the wasm MaxPoolGrad kernel with the one-pass form (other dtypes: the stock one). */
export function registerFastMaxPoolGrad(): void {
  const current = tf.getKernel('MaxPoolGrad', 'wasm');
  if (current == null || wrapped.has(current.kernelFunc as KernelFunc)) return;
  const kernelFunc = onePass(current.kernelFunc as KernelFunc);
  wrapped.add(kernelFunc);
  tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({ ...current, kernelFunc });
}
