import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

describe('UnsortedSegmentSum on wasm', () => {
  it('sums rows per segment (closed form)', () => {
    const y = tf.unsortedSegmentSum(
      tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]),
      tf.tensor1d([0, 2, 0, 1], 'int32'),
      4,
    );
    expect(y).toBeAllclose([
      [6, 8],
      [7, 8],
      [3, 4],
      [0, 0],
    ]);
  });

  it.each([
    ['1-D ids over rows', [6, 3], [6], [0, 3, 1, 3, 3, 0]],
    ['1-D ids over rows of a rank-3 tensor', [5, 3, 2], [5], [1, 1, 0, 3, 1]],
  ])('%s matches cpu', async (_, xShape, idShape, ids) => {
    await expectWasmMatchesCpu({
      kernel: 'UnsortedSegmentSum',
      inputs: {
        x: xShape as number[],
        segmentIds: { shape: idShape as number[], values: ids as number[], dtype: 'int32' },
      },
      attrs: { numSegments: 4 },
    });
  });
});
