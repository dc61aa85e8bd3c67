import type { GradConfig, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { savedAt, single } from './helpers.js';

/**
 * Interpolation matrix [outSize, inSize] of one axis of tfjs's bilinear resize: row o holds the
 * weights the forward pass gives each source cell. Mirrors the forward's source-coordinate rule
 * (half-pixel centres, aligned corners, clamping), so its transpose is the exact adjoint.
 */
function axisWeights(opts: {
  inSize: number;
  outSize: number;
  alignCorners: boolean;
  halfPixelCenters: boolean;
}): Tensor2D {
  const { inSize, outSize, alignCorners, halfPixelCenters } = opts;
  const scale = alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  const w = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const src = halfPixelCenters ? scale * (o + 0.5) - 0.5 : scale * o;
    const lo = Math.max(0, Math.floor(src));
    const hi = Math.min(inSize - 1, Math.ceil(src));
    const frac = src - lo;
    w[o * inSize + lo] = (w[o * inSize + lo] ?? 0) + (1 - frac);
    w[o * inSize + hi] = (w[o * inSize + hi] ?? 0) + frac;
  }
  return tf.tensor2d(w, [outSize, inSize]);
}

/**
 * ResizeBilinear: bilinear resize is separable, out = Ry · x · Rxᵀ per image and channel, so
 * dx = Ryᵀ · dy · Rx, done as two matMuls. Replaces the stock ResizeBilinearGrad kernels, which
 * disagree with the forward pass under halfPixelCenters (wasm and cpu alike).
 */
export const resizeBilinearGradient: GradConfig = {
  kernelName: 'ResizeBilinear',
  inputsToSave: ['images'],
  gradFunc: (dy, saved, attrs) => {
    const images = savedAt(saved, 0, 'ResizeBilinear');
    const g = single(dy);
    return {
      images: () =>
        tf.tidy(() => {
          const [b, inH, inW, c] = images.shape as [number, number, number, number];
          const [, outH, outW] = g.shape as [number, number, number, number];
          const flags = {
            alignCorners: Boolean(attrs.alignCorners),
            halfPixelCenters: Boolean(attrs.halfPixelCenters),
          };
          const ry = axisWeights({ inSize: inH, outSize: outH, ...flags });
          const rx = axisWeights({ inSize: inW, outSize: outW, ...flags });
          // [b, outH, outW, c] -> [b, outW, c, outH] rows, contract outH with Ry.
          const byRow = tf.reshape(tf.transpose(g, [0, 2, 3, 1]), [b * outW * c, outH]);
          const h = tf.reshape(tf.matMul(byRow, ry), [b, outW, c, inH]);
          // [b, outW, c, inH] -> [b, inH, c, outW] rows, contract outW with Rx.
          const byCol = tf.reshape(tf.transpose(h, [0, 3, 2, 1]), [b * inH * c, outW]);
          const dx = tf.reshape(tf.matMul(byCol, rx), [b, inH, c, inW]);
          return tf.cast(tf.transpose(dx, [0, 1, 3, 2]), images.dtype) as Tensor;
        }),
    };
  },
};
