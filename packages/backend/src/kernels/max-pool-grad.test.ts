import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu, forwardShape } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

type Pad = 'same' | 'valid';

describe('MaxPoolGrad on wasm (one pass over the windows)', () => {
  it('sends each window gradient to its maximum (closed form)', () => {
    const x = tf.tensor4d([1, 5, 3, 2, 0, 4, 9, 8, 7, 6, 1, 2, 3, 4, 5, 6], [1, 4, 4, 1]);
    const dy = tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]);
    const dx = tf
      .engine()
      .runKernel(
        'MaxPoolGrad',
        { dy, input: x },
        { filterSize: 2, strides: 2, pad: 'valid' },
      ) as tf.Tensor;
    // Windows: [1,5,0,4] max 5; [3,2,9,8] max 9; [7,6,3,4] max 7; [1,2,5,6] max 6.
    expect(tf.reshape(dx, [16])).toBeAllclose([0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 0, 0, 0, 0, 0, 40]);
  });

  it('gives a tied window gradient to its first maximum, as TF and tfjs-cpu', () => {
    const x = tf.ones([1, 2, 2, 1]);
    const dx = tf
      .engine()
      .runKernel(
        'MaxPoolGrad',
        { dy: tf.ones([1, 1, 1, 1]), input: x },
        { filterSize: 2, strides: 2, pad: 'valid' },
      ) as tf.Tensor;
    expect(tf.reshape(dx, [4])).toBeAllclose([1, 0, 0, 0]);
  });

  const cases: [number, number, Pad, [number, number, number, number]][] = [
    [2, 2, 'valid', [2, 6, 6, 3]],
    [3, 2, 'same', [2, 7, 5, 2]],
    [3, 1, 'valid', [1, 5, 6, 4]],
    // Windows reaching into the trailing padding (the stock wasm kernel drops their gradient).
    [2, 1, 'same', [2, 5, 6, 2]],
    [3, 3, 'same', [1, 7, 8, 5]],
  ];
  it.each(cases)('size=%s stride=%s %s matches cpu', async (size, stride, pad, shape) => {
    const outShape = forwardShape(() =>
      tf.maxPool(tf.zeros(shape) as tf.Tensor4D, size, stride, pad),
    );
    await expectWasmMatchesCpu({
      kernel: 'MaxPoolGrad',
      inputs: { dy: outShape, input: shape },
      attrs: { filterSize: size, strides: stride, pad },
    });
  });

  it('matches cpu on a rectangular window with ties', async () => {
    const values = Array.from({ length: 2 * 6 * 6 * 3 }, (_, i) => (i * 7) % 5);
    await expectWasmMatchesCpu({
      kernel: 'MaxPoolGrad',
      inputs: {
        dy: [2, 3, 2, 3],
        input: { shape: [2, 6, 6, 3], values },
      },
      attrs: { filterSize: [2, 3], strides: [2, 3], pad: 'valid' },
    });
  });
});
