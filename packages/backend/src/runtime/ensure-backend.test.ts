import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ensureBackend } from './ensure-backend.js';

describe('ensureBackend', () => {
  it('activates wasm by default and computes', async () => {
    expect(await ensureBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]))).toBeAllclose([[11]]);
  });
});
