import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';

describe('gradients of values used several times', () => {
  beforeAll(() => ensureBackend());

  it('accumulates through Add without disposing a gradient still in use', () => {
    // d/dx sum((2x + 3x) + 2x + 3x) = 10 everywhere (closed form).
    const f = (x: tf.Tensor) =>
      tf.sum(tf.add(tf.add(tf.add(tf.mul(2, x), tf.mul(3, x)), tf.mul(2, x)), tf.mul(3, x)));
    expect(tf.grad(f)(tf.tensor([1, 2, 3]))).toBeAllclose([10, 10, 10]);
  });

  it('handles a shared input feeding both sides of an Add and a Sub', () => {
    // d/dx sum((x + x) - (x - 2x)) = 2 - (1 - 2) = 3.
    const f = (x: tf.Tensor) => tf.sum(tf.sub(tf.add(x, x), tf.sub(x, tf.mul(2, x))));
    expect(tf.grad(f)(tf.tensor([[1, -1]]))).toBeAllclose([[3, 3]]);
  });
});
