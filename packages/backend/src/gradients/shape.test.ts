import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

const T = (t: unknown) => t as tf.Tensor;

describe('shape gradients', () => {
  it('reshape, expandDims, squeeze, transpose, reverse', async () => {
    await expectGradientsMatch(
      (x) => tf.mul(tf.reshape(T(x), [3, 2]), tf.reshape(T(x), [3, 2])),
      [{ shape: [2, 3] }],
    );
    await expectGradientsMatch((x) => tf.square(tf.expandDims(T(x), 1)), [{ shape: [2, 3] }]);
    await expectGradientsMatch((x) => tf.square(tf.squeeze(T(x))), [{ shape: [2, 1, 3] }]);
    await expectGradientsMatch(
      (x) => tf.square(tf.transpose(T(x), [2, 0, 1])),
      [{ shape: [2, 3, 4] }],
    );
    await expectGradientsMatch((x) => tf.square(tf.reverse(T(x), [0, 2])), [{ shape: [2, 3, 2] }]);
  });

  it('concat along each axis, including a negative one', async () => {
    for (const axis of [0, 1, -1]) {
      await expectGradientsMatch(
        (a, b) => tf.square(tf.concat([T(a), T(b)], axis)),
        [{ shape: [2, 3] }, { shape: [2, 3] }],
      );
    }
    await expectGradientsMatch(
      (a, b) => tf.square(tf.concat([T(a), T(b)], 1)),
      [{ shape: [2, 1] }, { shape: [2, 4] }],
    );
  });

  it('stack, unstack (one output unused), split', async () => {
    await expectGradientsMatch(
      (a, b) => tf.square(tf.stack([T(a), T(b)], 1)),
      [{ shape: [2, 3] }, { shape: [2, 3] }],
    );
    await expectGradientsMatch(
      (x) => tf.square(tf.unstack(T(x), 1)[2] as tf.Tensor),
      [{ shape: [2, 3] }],
    );
    await expectGradientsMatch((x) => tf.split(T(x), [1, -1, 2], 1), [{ shape: [2, 5] }]);
    await expectGradientsMatch(
      (x) => tf.square(tf.split(T(x), 2, 0)[1] as tf.Tensor),
      [{ shape: [4, 2] }],
    );
  });

  it('tile and broadcastTo sum over the copies', async () => {
    await expectGradientsMatch((x) => tf.square(tf.tile(T(x), [2, 1, 3])), [{ shape: [2, 3, 1] }]);
    await expectGradientsMatch(
      (x) => tf.square(tf.broadcastTo(T(x), [2, 3, 4])),
      [{ shape: [3, 1] }],
    );
  });

  it('gather along axis 0 and 1 with repeated indices', async () => {
    const idx = tf.tensor1d([2, 0, 2], 'int32');
    await expectGradientsMatch((x) => tf.square(tf.gather(T(x), idx, 0)), [{ shape: [3, 2] }]);
    await expectGradientsMatch((x) => tf.square(tf.gather(T(x), idx, 1)), [{ shape: [2, 4, 2] }]);
    const idx2 = tf.tensor2d(
      [
        [1, 1],
        [0, 3],
      ],
      [2, 2],
      'int32',
    );
    await expectGradientsMatch((x) => tf.gather(T(x), idx2, 1), [{ shape: [2, 4, 3] }]);
  });

  it('embedding lookup gradient counts repeats (closed form)', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.gather(x, tf.tensor1d([1, 1, 0], 'int32'))))(
      tf.zeros([3, 2]),
    );
    expect(g).toBeAllclose([
      [1, 1],
      [2, 2],
      [0, 0],
    ]);
  });

  it('unsortedSegmentSum hands each row the gradient of its segment', async () => {
    const ids = tf.tensor1d([2, 0, 2, 1], 'int32');
    await expectGradientsMatch(
      (x) => tf.square(tf.unsortedSegmentSum(T(x), ids, 3)),
      [{ shape: [4, 2] }],
    );
  });

  it('gatherND scatters back', async () => {
    const idx = tf.tensor2d(
      [
        [0, 1],
        [1, 0],
        [0, 1],
      ],
      [3, 2],
      'int32',
    );
    await expectGradientsMatch((x) => tf.square(tf.gatherND(T(x), idx)), [{ shape: [2, 2, 3] }]);
  });
});
