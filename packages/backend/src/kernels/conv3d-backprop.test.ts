import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu, forwardShape } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

type Shape5 = [number, number, number, number, number];

describe('Conv3D backprop kernels on wasm (replacing the stock ones)', () => {
  const cases: [string, number | [number, number, number], 'same' | 'valid'][] = [
    ['stride 1 same', 1, 'same'],
    ['stride 2 same', 2, 'same'],
    ['stride 2 valid', 2, 'valid'],
    ['strides [1, 2, 3] valid', [1, 2, 3], 'valid'],
  ];
  it.each(cases)('%s', async (_, strides, pad) => {
    const xShape: Shape5 = [2, 5, 6, 7, 2];
    const filterShape: Shape5 = [2, 3, 2, 2, 3];
    const yShape = forwardShape(() =>
      tf.conv3d(
        tf.zeros(xShape) as tf.Tensor5D,
        tf.zeros(filterShape) as tf.Tensor5D,
        strides,
        pad,
      ),
    );
    await expectWasmMatchesCpu({
      kernel: 'Conv3DBackpropInputV2',
      inputs: { dy: yShape, filter: filterShape },
      attrs: { strides, pad, inputShape: xShape } as never,
    });
    await expectWasmMatchesCpu({
      kernel: 'Conv3DBackpropFilterV2',
      inputs: { x: xShape, dy: yShape },
      attrs: { strides, pad, filterShape } as never,
    });
  });
});
