import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

const ids = (values: number[], shape = [values.length]) => ({
  shape,
  values,
  dtype: 'int32' as const,
});

describe('GatherV2 on wasm (row copies)', () => {
  it('takes rows in the given order, repeats included (closed form)', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tf.gather(x, tf.tensor1d([2, 0, 2], 'int32'))).toBeAllclose([
      [5, 6],
      [1, 2],
      [5, 6],
    ]);
    expect(tf.gather(x, tf.tensor1d([1], 'int32'), 1)).toBeAllclose([[2], [4], [6]]);
  });

  it.each([
    ['rows of a batch (long rows)', [12, 40], ids([11, 0, 5, 5, 3]), 0],
    ['one timestep of a sequence (axis 1)', [4, 6, 20], ids([3]), 1],
    ['short inner slices (axis 1)', [3, 5, 2], ids([4, 0, 1]), 1],
    ['the last axis', [3, 4, 7], ids([6, 0, 2]), 2],
    ['2-D indices', [6, 3], ids([5, 1, 0, 2], [2, 2]), 0],
    ['a scalar index', [5, 3], ids([4], []), 0],
  ])('%s matches cpu', async (_, xShape, indices, axis) => {
    await expectWasmMatchesCpu({
      kernel: 'GatherV2',
      inputs: { x: xShape as number[], indices },
      attrs: { axis: axis as number, batchDims: 0 },
    });
  });

  it('gathers int32 values exactly', () => {
    const x = tf.tensor2d([10, 20, 30, 40, 50, 60], [3, 2], 'int32');
    const y = tf.gather(x, tf.tensor1d([2, 1], 'int32'));
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([50, 60, 30, 40]);
  });

  it('batchDims > 0 still works (the stock kernel handles it)', async () => {
    await expectWasmMatchesCpu({
      kernel: 'GatherV2',
      inputs: { x: [2, 4, 3], indices: ids([3, 0, 1, 1], [2, 2]) },
      attrs: { axis: 1, batchDims: 1 },
    });
  });

  it('refuses an index out of range, naming it and the valid range', () => {
    const x = tf.zeros([3, 2]);
    expect(() => tf.gather(x, tf.tensor1d([1, 3], 'int32'))).toThrow(
      'GatherV2: the index value 3 is not in [0, 2]',
    );
  });
});
