import type { GradConfig, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { attr, many, reduceToShape, savedAt, single } from './helpers.js';
import { inversePerm } from './reductions.js';

/** Resolves Concat/Pack/Unpack/SplitV axis attributes that may be negative. */
function axisOf(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Split sizes of a SplitV along its axis (numOrSizeSplits: a count, or sizes with one -1). */
function splitSizes(dim: number, numOrSizeSplits: number | number[]): number[] {
  if (!Array.isArray(numOrSizeSplits)) {
    return new Array<number>(numOrSizeSplits).fill(dim / numOrSizeSplits);
  }
  const known = numOrSizeSplits.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
  return numOrSizeSplits.map((s) => (s === -1 ? dim - known : s));
}

export const shapeGradients: GradConfig[] = [
  {
    kernelName: 'Reshape',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({
      x: () => tf.reshape(single(dy), savedAt(saved, 0, 'Reshape').shape),
    }),
  },
  {
    kernelName: 'ExpandDims',
    inputsToSave: ['input'],
    gradFunc: (dy, saved) => ({
      input: () => tf.reshape(single(dy), savedAt(saved, 0, 'ExpandDims').shape),
    }),
  },
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _saved, attrs) => ({
      x: () => tf.transpose(single(dy), inversePerm(attr<number[]>(attrs, 'perm'))),
    }),
  },
  {
    kernelName: 'Reverse',
    gradFunc: (dy, _saved, attrs) => ({
      x: () => tf.reverse(single(dy), attr<number | number[]>(attrs, 'dims')),
    }),
  },
  {
    kernelName: 'BroadcastTo',
    gradFunc: (dy, _saved, attrs) => ({
      x: () => reduceToShape(single(dy), attr<number[]>(attrs, 'inputShape')),
    }),
  },
  {
    kernelName: 'Concat',
    saveAllInputs: true,
    gradFunc: (dyIn, saved, attrs) => {
      const dy = single(dyIn);
      const axis = axisOf(attr<number>(attrs, 'axis'), dy.rank);
      const sizes = saved.map((t) => t.shape[axis] ?? 0);
      const out: Record<string, () => Tensor> = {};
      saved.forEach((_, i) => {
        out[i] = () => tf.split(dy, sizes, axis)[i] as Tensor;
      });
      return out;
    },
  },
  {
    kernelName: 'Pack',
    saveAllInputs: true,
    gradFunc: (dyIn, saved, attrs) => {
      const dy = single(dyIn);
      const axis = axisOf(attr<number>(attrs, 'axis'), dy.rank);
      const out: Record<string, () => Tensor> = {};
      saved.forEach((_, i) => {
        out[i] = () => tf.unstack(dy, axis)[i] as Tensor;
      });
      return out;
    },
  },
  {
    kernelName: 'Unpack',
    inputsToSave: ['value'],
    gradFunc: (dyIn, saved, attrs) => {
      const value = savedAt(saved, 0, 'Unpack');
      const axis = axisOf(attr<number>(attrs, 'axis'), value.rank);
      const pieceShape = value.shape.filter((_, i) => i !== axis);
      // Outputs outside the backprop graph arrive as null: they contribute zeros.
      const dys = many(dyIn).map((d) => d ?? tf.zeros(pieceShape));
      return { value: () => tf.stack(dys, axis) };
    },
  },
  {
    kernelName: 'SplitV',
    inputsToSave: ['x'],
    gradFunc: (dyIn, saved, attrs) => {
      const x = savedAt(saved, 0, 'SplitV');
      const axis = axisOf(attr<number>(attrs, 'axis'), x.rank);
      const sizes = splitSizes(
        x.shape[axis] ?? 0,
        attr<number | number[]>(attrs, 'numOrSizeSplits'),
      );
      const dys = many(dyIn).map(
        (d, i) => d ?? tf.zeros(x.shape.map((s, j) => (j === axis ? (sizes[i] ?? 0) : s))),
      );
      return { x: () => tf.concat(dys, axis) };
    },
  },
  {
    kernelName: 'Tile',
    inputsToSave: ['x'],
    gradFunc: (dyIn, saved, attrs) => {
      const x = savedAt(saved, 0, 'Tile');
      const reps = attr<number[]>(attrs, 'reps');
      return {
        x: () => {
          // Output index r * n + i along each axis: split every axis into (rep, n), sum reps.
          const split = x.shape.flatMap((n, i) => [reps[i] ?? 1, n]);
          const repAxes = x.shape.map((_, i) => 2 * i);
          return tf.reshape(tf.sum(tf.reshape(single(dyIn), split), repAxes), x.shape);
        },
      };
    },
  },
  {
    kernelName: 'GatherV2',
    inputsToSave: ['x', 'indices'],
    gradFunc: (dyIn, saved, attrs) => {
      const x = savedAt(saved, 0, 'GatherV2');
      const indices = savedAt(saved, 1, 'GatherV2');
      const axis = axisOf(attr<number>(attrs, 'axis'), x.rank);
      const batchDims = attr<number | undefined>(attrs, 'batchDims') ?? 0;
      if (batchDims !== 0) {
        throw new Error(
          `The gather gradient supports batchDims=0 only. Received: batchDims=${batchDims}`,
        );
      }
      return {
        x: () => gatherGrad(single(dyIn), x.shape, indices, axis),
        indices: () => tf.cast(tf.zerosLike(indices), 'float32'),
      };
    },
  },
  {
    kernelName: 'GatherNd',
    inputsToSave: ['params', 'indices'],
    gradFunc: (dyIn, saved) => {
      const params = savedAt(saved, 0, 'GatherNd');
      const indices = savedAt(saved, 1, 'GatherNd');
      return {
        params: () => tf.scatterND(indices, single(dyIn), params.shape),
        indices: () => tf.cast(tf.zerosLike(indices), 'float32'),
      };
    },
  },
  {
    // out[s] = sum of x rows with id s, so each x row receives dy[id]; ids outside
    // [0, numSegments) contributed nothing and get zero (gather clamps, so mask them).
    kernelName: 'UnsortedSegmentSum',
    inputsToSave: ['segmentIds'],
    gradFunc: (dyIn, saved) => {
      const ids = savedAt(saved, 0, 'UnsortedSegmentSum');
      return {
        x: () => {
          const dy = single(dyIn);
          const valid = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, dy.shape[0] ?? 0));
          const safe = tf.where(valid, ids, tf.zerosLike(ids));
          const rows = tf.gather(dy, safe);
          const keep = tf.reshape(tf.cast(valid, 'float32'), [
            ...ids.shape,
            ...new Array<number>(rows.rank - ids.rank).fill(1),
          ]);
          return tf.mul(rows, keep);
        },
        segmentIds: () => tf.cast(tf.zerosLike(ids), 'float32'),
      };
    },
  },
  {
    kernelName: 'SpaceToBatchND',
    gradFunc: (dy, _saved, attrs) => ({
      x: () =>
        tf.batchToSpaceND(
          single(dy),
          attr<number[]>(attrs, 'blockShape'),
          attr<number[][]>(attrs, 'paddings'),
        ),
    }),
  },
  {
    kernelName: 'BatchToSpaceND',
    gradFunc: (dy, _saved, attrs) => ({
      x: () =>
        tf.spaceToBatchND(
          single(dy),
          attr<number[]>(attrs, 'blockShape'),
          attr<number[][]>(attrs, 'crops'),
        ),
    }),
  },
];

/**
 * Gather's gradient scatters dy rows back onto the gathered axis, summing repeated indices.
 * ScatterNd (a wasm kernel) does the sum, so embeddings train without UnsortedSegmentSum.
 */
function gatherGrad(dy: Tensor, xShape: number[], indices: Tensor, axis: number): Tensor {
  const idxRank = indices.rank;
  const outer = Array.from({ length: axis }, (_, i) => i);
  const idxAxes = Array.from({ length: idxRank }, (_, i) => axis + i);
  const inner = Array.from({ length: dy.rank - axis - idxRank }, (_, i) => axis + idxRank + i);
  const moved = tf.transpose(dy, [...idxAxes, ...outer, ...inner]);
  const rest = moved.shape.slice(idxRank);
  const rows = tf.reshape(moved, [indices.size, ...rest]);
  const n = xShape[axis] ?? 0;
  const scattered = tf.scatterND(tf.reshape(tf.cast(indices, 'int32'), [-1, 1]), rows, [
    n,
    ...rest,
  ]);
  const back = [...outer.map((i) => i + 1), 0, ...inner.map((_, j) => axis + 1 + j)];
  return tf.transpose(scattered, back);
}
