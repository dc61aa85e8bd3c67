import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release } from './kernel-utils.js';

type ConvInfo = backend_util.Conv2DInfo;

/**
 * The input windows of a 2-D convolution, channels first: `[C, KH*KW, N, OH, OW]` as a list of
 * KH*KW tensors `[C, N, OH, OW]` (tap-major). Built from one pad, one transpose and one slice
 * per tap, all wasm kernels: the im2col that turns a filter gradient into one matMul.
 */
export function channelFirstTaps(backend: unknown, x: TensorInfo, info: ConvInfo): TensorInfo[] {
  const { top, left, bottom, right } = info.padInfo;
  let padded = x;
  if (top || left || bottom || right) {
    padded = callKernel(
      'PadV2',
      'wasm',
      backend,
      { x },
      {
        paddings: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
  }
  const cFirst = callKernel('Transpose', 'wasm', backend, { x: padded }, { perm: [3, 0, 1, 2] });
  if (padded !== x) release(backend, padded);
  const [c, n, hp, wp] = cFirst.shape as [number, number, number, number];
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const taps: TensorInfo[] = [];
  for (let i = 0; i < info.filterHeight; i++) {
    for (let j = 0; j < info.filterWidth; j++) {
      const r0 = i * info.dilationHeight;
      const c0 = j * info.dilationWidth;
      if (sh === 1 && sw === 1) {
        taps.push(
          callKernel(
            'Slice',
            'wasm',
            backend,
            { x: cFirst },
            { begin: [0, 0, r0, c0], size: [c, n, oh, ow] },
          ),
        );
      } else {
        taps.push(
          callKernel(
            'StridedSlice',
            'wasm',
            backend,
            { x: cFirst },
            {
              begin: [0, 0, r0, c0],
              end: [
                c,
                n,
                Math.min(hp, r0 + (oh - 1) * sh + 1),
                Math.min(wp, c0 + (ow - 1) * sw + 1),
              ],
              strides: [1, 1, sh, sw],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
          ),
        );
      }
    }
  }
  release(backend, cFirst);
  return taps;
}
