import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { matMulFast, unstackFast } from './fast-ops.js';

beforeAll(() => ensureBackend());

describe('unstackFast', () => {
  it('matches tf.unstack on every axis', () => {
    const x = tf.reshape(tf.range(0, 24), [2, 3, 4]);
    for (const axis of [0, 1, 2, -1]) {
      const ours = unstackFast(x, axis);
      const ref = tf.unstack(x, axis);
      expect(ours.length).toBe(ref.length);
      ours.forEach((t, i) => {
        expect(t).toBeAllclose(ref[i]);
      });
    }
  });

  it('has the gradient of a stack: each piece gets its own cotangent back', () => {
    const x = tf.reshape(tf.range(0, 6), [3, 2]);
    const w = tf.tensor1d([1, 10, 100]);
    // d/dx sum_i w_i * sum(piece_i) = w_i broadcast over piece i's row.
    const g = tf.grad((v: tf.Tensor) => {
      const pieces = unstackFast(v, 0);
      return tf.addN(pieces.map((p, i) => tf.mul(tf.sum(p), tf.slice(w, [i], [1]))));
    })(x);
    expect(g).toBeAllclose([
      [1, 1],
      [10, 10],
      [100, 100],
    ]);
  });

  it('fills zeros for pieces that do not reach the loss', () => {
    const x = tf.ones([3, 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(unstackFast(v, 0)[1] as tf.Tensor))(x);
    expect(g).toBeAllclose([
      [0, 0],
      [1, 1],
      [0, 0],
    ]);
  });

  it('rejects an axis outside the rank', () => {
    expect(() => unstackFast(tf.ones([2, 2]), 2)).toThrow(/Received: axis=2/);
  });
});

describe('matMulFast', () => {
  it('matches tf.matMul and its closed-form gradients', () => {
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = tf.tensor2d([
      [1, -1, 2],
      [0, 3, 1],
    ]);
    expect(matMulFast(a, b)).toBeAllclose(tf.matMul(a, b));
    const dy = tf.tensor2d([
      [1, 0, 2],
      [0, 1, 0],
      [3, 0, 1],
    ]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMulFast(x, y), dy)))(
      [a, b],
    );
    // d(sum(dy * a@b))/da = dy @ b^T, /db = a^T @ dy.
    expect(da).toBeAllclose([
      [5, 2],
      [-1, 3],
      [5, 1],
    ]);
    expect(db).toBeAllclose([
      [16, 3, 7],
      [20, 4, 10],
    ]);
  });
});
