import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu, forwardShape } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

type Pad =
  | 'same'
  | 'valid'
  | [[number, number], [number, number], [number, number], [number, number]];

const explicitNhwc: Pad = [
  [0, 0],
  [1, 2],
  [0, 1],
  [0, 0],
];
const explicitNchw: Pad = [
  [0, 0],
  [0, 0],
  [1, 2],
  [0, 1],
];

describe('Conv2DBackpropFilter on wasm', () => {
  it('is a wasm kernel of ours, not a fallback', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  const cases: [string, 'NHWC' | 'NCHW', number | [number, number], Pad][] = [];
  for (const format of ['NHWC', 'NCHW'] as const) {
    for (const strides of [1, 2, [2, 1]] as (number | [number, number])[]) {
      for (const pad of [
        'same',
        'valid',
        format === 'NHWC' ? explicitNhwc : explicitNchw,
      ] as Pad[]) {
        cases.push([
          `${format} strides=${strides} pad=${JSON.stringify(pad)}`,
          format,
          strides,
          pad,
        ]);
      }
    }
  }
  it.each(cases)('%s', async (_, dataFormat, strides, pad) => {
    const xShape: [number, number, number, number] =
      dataFormat === 'NHWC' ? [2, 7, 6, 3] : [2, 3, 7, 6];
    const filterShape: [number, number, number, number] = [3, 2, 3, 4];
    const yShape = forwardShape(() =>
      tf.conv2d(
        tf.zeros(xShape) as tf.Tensor4D,
        tf.zeros(filterShape) as tf.Tensor4D,
        strides,
        pad,
        dataFormat,
      ),
    );
    await expectWasmMatchesCpu({
      kernel: 'Conv2DBackpropFilter',
      inputs: { x: xShape, dy: yShape },
      attrs: { strides, pad, dataFormat, filterShape } as never,
    });
  });

  it('1x1 filter and a single input channel', async () => {
    await expectWasmMatchesCpu({
      kernel: 'Conv2DBackpropFilter',
      inputs: { x: [3, 5, 5, 1], dy: [3, 5, 5, 2] },
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, 1, 2] } as never,
    });
  });
});
