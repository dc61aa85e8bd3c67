import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { readInto, readIntoAsync } from './read-into.js';

describe('readInto', () => {
  let previous = '';
  beforeAll(async () => {
    await ensureBackend('wasm');
    previous = tf.getBackend();
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`copies a variable and a computed tensor at an offset (${backend})`, async () => {
      await tf.setBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      const v = tf.variable(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]));
      const t = tf.tidy(() => tf.mul(tf.range(0, 4), 0.5));
      const out = new Float32Array(12).fill(-1);
      readInto(v, out, 1);
      readInto(t, out, 7);
      expect(Array.from(out)).toEqual([-1, 1, 2, 3, 4, 5, 6, 0, 0.5, 1, 1.5, -1]);
      const again = new Float32Array(12).fill(-1);
      await readIntoAsync(v, again, 1);
      await readIntoAsync(t, again, 7);
      expect(again).toEqual(out);
      // The copy is a copy: later writes to the variable do not show through.
      v.assign(tf.zeros([2, 3]));
      expect(out[1]).toBe(1);
      tf.dispose([v, t]);
    });
  }

  it('converts int32 values, and says what was expected when the values do not fit', async () => {
    await tf.setBackend('wasm');
    const t = tf.ones([5]);
    expect(() => readInto(t, new Float32Array(6), 2)).toThrow(
      'readInto: 5 values do not fit in a target of 6 at offset 2.',
    );
    const i = tf.tensor1d([3, -7], 'int32');
    const out = new Float32Array(2);
    readInto(i, out);
    expect(Array.from(out)).toEqual([3, -7]);
    const s = tf.tensor1d(['a']);
    expect(() => readInto(s, new Float32Array(1))).toThrow(
      'readInto expects a real-valued tensor. Received: dtype=string',
    );
    tf.dispose([t, i, s]);
  });
});
