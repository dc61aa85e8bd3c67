import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { attr, savedAt, single } from './helpers.js';

/** Slice's `begin` may be one number (the first axis) or a list shorter than the rank. */
function beginList(begin: number | number[], rank: number): number[] {
  const list = Array.isArray(begin) ? begin : [begin];
  return Array.from({ length: rank }, (_, i) => list[i] ?? 0);
}

/** Mirror-pad gradient along one axis: fold the reflected borders back onto the interior. */
function foldMirrorAxis(
  dy: Tensor,
  axis: number,
  before: number,
  after: number,
  n: number,
  reflect: boolean,
): Tensor {
  const take = (start: number, size: number) => {
    const begin = dy.shape.map((_, i) => (i === axis ? start : 0));
    const sizes = dy.shape.map((s, i) => (i === axis ? size : s));
    return tf.slice(dy, begin, sizes);
  };
  const padAlong = (t: Tensor, lo: number, hi: number) =>
    tf.pad(
      t,
      dy.shape.map((_, i): [number, number] => (i === axis ? [lo, hi] : [0, 0])),
    );
  let out = take(before, n);
  // reflect: output i < before reads input before - i (edge excluded); symmetric: before - 1 - i.
  const shift = reflect ? 1 : 0;
  if (before > 0) {
    const left = tf.reverse(take(0, before), axis);
    out = tf.add(out, padAlong(left, shift, n - before - shift));
  }
  if (after > 0) {
    const right = tf.reverse(take(before + n, after), axis);
    out = tf.add(out, padAlong(right, n - after - shift, shift));
  }
  return out;
}

export const slicingGradients: GradConfig[] = [
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dyIn, saved, attrs) => {
      const x = savedAt(saved, 0, 'Slice');
      const dy = single(dyIn);
      const begin = beginList(attr<number | number[]>(attrs, 'begin'), x.rank);
      const paddings = x.shape.map((s, i): [number, number] => {
        const b = begin[i] ?? 0;
        return [b, s - b - (dy.shape[i] ?? 0)];
      });
      return { x: () => tf.pad(dy, paddings) };
    },
  },
  {
    kernelName: 'StridedSlice',
    inputsToSave: ['x'],
    gradFunc: (dyIn, saved, attrs) => {
      const x = savedAt(saved, 0, 'StridedSlice');
      return {
        x: () => {
          // Run the same strided slice over element positions to learn where each dy entry
          // came from, then scatter dy there: one rule for every mask combination.
          // Positions travel as float32 (exact below 2^24): the wasm StridedSlice kernel
          // mislabels int32 input as float32 and so garbles it.
          if (x.size > 2 ** 24) {
            throw new Error(
              `The stridedSlice gradient handles tensors of up to 2^24 elements. Received: size=${x.size}`,
            );
          }
          const positions = tf.reshape(tf.range(0, x.size, 1, 'float32'), x.shape);
          const picked = tf.engine().runKernel('StridedSlice', { x: positions }, attrs) as Tensor;
          const where = tf.reshape(tf.cast(picked, 'int32'), [-1, 1]);
          const flat = tf.scatterND(where, tf.reshape(single(dyIn), [-1]), [x.size]);
          return tf.reshape(flat, x.shape);
        },
      };
    },
  },
  {
    kernelName: 'PadV2',
    inputsToSave: ['x'],
    gradFunc: (dyIn, saved, attrs) => {
      const x = savedAt(saved, 0, 'PadV2');
      const paddings = attr<[number, number][]>(attrs, 'paddings');
      const begin = paddings.map((p) => p[0]);
      return { x: () => tf.slice(single(dyIn), begin, x.shape) };
    },
  },
  {
    kernelName: 'MirrorPad',
    inputsToSave: ['x'],
    gradFunc: (dyIn, saved, attrs) => {
      const x = savedAt(saved, 0, 'MirrorPad');
      const paddings = attr<[number, number][]>(attrs, 'paddings');
      const reflect = attr<string>(attrs, 'mode') === 'reflect';
      return {
        x: () => {
          let g = single(dyIn);
          x.shape.forEach((n, axis) => {
            const [before, after] = paddings[axis] ?? [0, 0];
            if (before > 0 || after > 0) g = foldMirrorAxis(g, axis, before, after, n, reflect);
          });
          return g;
        },
      };
    },
  },
];
