import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

describe('Slice on wasm (contiguous runs out of the heap)', () => {
  it('takes a block of rows and a window of columns (closed form)', () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(tf.slice(x, [1, 0], [2, 3])).toBeAllclose([
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(tf.slice(x, [0, 1], [3, 1])).toBeAllclose([[2], [5], [8]]);
  });

  it.each([
    ['rows of a batch', [12, 40], [5, 0], [4, 40]],
    ['an inner window', [4, 5, 6], [1, 1, 1], [2, 3, 4]],
    ['one timestep of a sequence', [4, 6, 20], [0, 3, 0], [4, 1, 20]],
    ['short runs on the last axis', [3, 4, 5, 6], [0, 1, 0, 2], [3, 2, 5, 3]],
    ['size -1 (to the end)', [3, 7], [1, 2], [-1, -1]],
    ['a 1-D range', [9], [2], [5]],
    ['an empty slice', [2, 3], [0, 0], [0, 3]],
  ])('%s matches cpu', async (_, shape, begin, size) => {
    await expectWasmMatchesCpu({
      kernel: 'Slice',
      inputs: { x: shape as number[] },
      attrs: { begin: begin as number[], size: size as number[] },
    });
  });

  it('slices int32 and bool tensors exactly', () => {
    const i = tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [1, 1], [1, 2]);
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([5, 6]);
    const b = tf.slice(tf.tensor1d([true, false, true, true], 'bool'), [1], [2]);
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.dataSync())).toEqual([0, 1]);
  });
});
