import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu, forwardShape } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

type Pad =
  | 'same'
  | 'valid'
  | [[number, number], [number, number], [number, number], [number, number]];
const explicit: Pad = [
  [0, 0],
  [2, 0],
  [1, 1],
  [0, 0],
];

// The cpu reference kernels ignore dilations (tfjs's own depthwise gradient allows only 1), so
// dilated depthwise gradients are checked by finite differences in gradients/conv.test.ts.
const cases: [string, number | number[], number, Pad, number][] = [];
for (const [strides, dilations] of [
  [1, 1],
  [2, 1],
  [[2, 1], 1],
]) {
  for (const pad of ['same', 'valid', explicit] as Pad[]) {
    for (const multiplier of [1, 2]) {
      cases.push([
        `strides=${strides} dilations=${dilations} pad=${JSON.stringify(pad)} multiplier=${multiplier}`,
        strides as number | number[],
        dilations as number,
        pad,
        multiplier,
      ]);
    }
  }
}

describe('depthwise conv backprop kernels on wasm', () => {
  it.each(cases)('%s', async (_, strides, dilations, pad, multiplier) => {
    const xShape: [number, number, number, number] = [2, 7, 8, 3];
    const filterShape: [number, number, number, number] = [3, 2, 3, multiplier];
    const yShape = forwardShape(() =>
      tf.depthwiseConv2d(
        tf.zeros(xShape) as tf.Tensor4D,
        tf.zeros(filterShape) as tf.Tensor4D,
        strides as number | [number, number],
        pad,
        'NHWC',
        dilations,
      ),
    );
    const attrs = { strides, pad, dilations, dataFormat: 'NHWC' };
    await expectWasmMatchesCpu({
      kernel: 'DepthwiseConv2dNativeBackpropFilter',
      inputs: { x: xShape, dy: yShape },
      attrs: { ...attrs, filterShape } as never,
    });
    await expectWasmMatchesCpu({
      kernel: 'DepthwiseConv2dNativeBackpropInput',
      inputs: { dy: yShape, filter: filterShape },
      attrs: { ...attrs, inputShape: xShape } as never,
    });
  });
});
