import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { callKernel, release } from './kernel-utils.js';

/**
 * Turns dy `[N, OH, OW, K]` of a strided, padded conv into the input of the stride-1 'valid'
 * conv that computes dx: stride-1 zeros between entries, then a border of
 * (effective filter - 1 - pad) so the flipped filter sees every window that touched each x.
 * Rows of x no window reached (valid padding leftovers) get a zero border too.
 */
export function spreadForTransposedConv(
  backend: unknown,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const [n, oh, ow, k] = dy.shape as [number, number, number, number];
  const { strideHeight: sh, strideWidth: sw } = info;
  let spread = dy;
  if (sh > 1 || sw > 1) {
    const six = callKernel('Reshape', 'wasm', backend, { x: dy }, { shape: [n, oh, 1, ow, 1, k] });
    const padded = callKernel(
      'PadV2',
      'wasm',
      backend,
      { x: six },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, sh - 1],
          [0, 0],
          [0, sw - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    const wide = callKernel(
      'Reshape',
      'wasm',
      backend,
      { x: padded },
      {
        shape: [n, oh * sh, ow * sw, k],
      },
    );
    spread = callKernel(
      'Slice',
      'wasm',
      backend,
      { x: wide },
      {
        begin: [0, 0, 0, 0],
        size: [n, (oh - 1) * sh + 1, (ow - 1) * sw + 1, k],
      },
    );
    release(backend, six, padded, wide);
  }
  const { top, left } = info.padInfo;
  const ekh = info.effectiveFilterHeight;
  const ekw = info.effectiveFilterWidth;
  const before = [ekh - 1 - top, ekw - 1 - left];
  const spreadH = spread.shape[1] as number;
  const spreadW = spread.shape[2] as number;
  const after = [
    info.inHeight + ekh - 1 - spreadH - (before[0] as number),
    info.inWidth + ekw - 1 - spreadW - (before[1] as number),
  ];
  const out = padOrCrop(backend, spread, before as [number, number], after as [number, number]);
  if (spread !== dy) release(backend, spread);
  return out;
}

/** Pads H and W by the given amounts; a negative amount crops instead. */
function padOrCrop(
  backend: unknown,
  x: TensorInfo,
  before: [number, number],
  after: [number, number],
): TensorInfo {
  const [pt, pl, pb, pr] = [...before, ...after].map((p) => Math.max(0, p)) as [
    number,
    number,
    number,
    number,
  ];
  const padded = callKernel(
    'PadV2',
    'wasm',
    backend,
    { x },
    {
      paddings: [
        [0, 0],
        [pt, pb],
        [pl, pr],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const [ct, cl, cb, cr] = [...before, ...after].map((p) => Math.max(0, -p)) as [
    number,
    number,
    number,
    number,
  ];
  if (ct + cl + cb + cr === 0) return padded;
  const [n, h, w, k] = padded.shape as [number, number, number, number];
  const out = callKernel(
    'Slice',
    'wasm',
    backend,
    { x: padded },
    {
      begin: [0, ct, cl, 0],
      size: [n, h - ct - cb, w - cl - cr, k],
    },
  );
  release(backend, padded);
  return out;
}
