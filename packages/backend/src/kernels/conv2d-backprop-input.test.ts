import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { expectWasmMatchesCpu, forwardShape } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

type Pad =
  | 'same'
  | 'valid'
  | [[number, number], [number, number], [number, number], [number, number]];

describe('Conv2DBackpropInput on wasm (XNNPACK conv of the spread dy)', () => {
  it('replaces the stock kernel', () => {
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(
      conv2dBackpropInputConfig.kernelFunc,
    );
  });

  const cases: [string, 'NHWC' | 'NCHW', number | [number, number], Pad, number[]][] = [];
  for (const format of ['NHWC', 'NCHW'] as const) {
    const explicit: Pad =
      format === 'NHWC'
        ? [
            [0, 0],
            [1, 2],
            [0, 1],
            [0, 0],
          ]
        : [
            [0, 0],
            [0, 0],
            [1, 2],
            [0, 1],
          ];
    for (const strides of [1, 2, [3, 1]] as (number | [number, number])[]) {
      for (const pad of ['same', 'valid', explicit] as Pad[]) {
        // 8 rows with stride 3 and 'valid' leave a row no window reads: its dx must be 0.
        for (const size of [
          [7, 6],
          [8, 5],
        ]) {
          cases.push([
            `${format} strides=${strides} pad=${JSON.stringify(pad)} ${size}`,
            format,
            strides,
            pad,
            size,
          ]);
        }
      }
    }
  }
  it.each(cases)('%s', async (_, dataFormat, strides, pad, [h, w]) => {
    const xShape: [number, number, number, number] =
      dataFormat === 'NHWC' ? [2, h as number, w as number, 3] : [2, 3, h as number, w as number];
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
      kernel: 'Conv2DBackpropInput',
      inputs: { dy: yShape, filter: filterShape },
      attrs: { strides, pad, dataFormat, inputShape: xShape } as never,
    });
  });
});
