import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { poolChannelsLast } from '../pooling/pool-ops.js';
import { convChannelsLast, depthwiseChannelsLast, inChannelsLast } from './conv-ops.js';
import {
  convTransposeChannelsLast,
  convTransposeViaConv,
  dilateAlong,
} from './conv-transpose-ops.js';
import {
  type NdArray,
  nested,
  refConv,
  refConvTranspose,
  refDepthwise,
  refPool,
  sample,
} from './test-utils/reference.js';

beforeAll(() => ensureBackend());

const t = (a: NdArray) => tf.tensor(a.data, a.shape);
const tol = { rtol: 1e-4, atol: 1e-5 };

describe('convChannelsLast against a loop reference', () => {
  const cases: {
    name: string;
    x: number[];
    k: number[];
    strides: number[];
    dilation: number[];
    padding: 'valid' | 'same';
    groups?: number;
  }[] = [
    {
      name: '1d same s2',
      x: [2, 9, 3],
      k: [3, 3, 4],
      strides: [2],
      dilation: [1],
      padding: 'same',
    },
    {
      name: '1d valid dil2',
      x: [2, 9, 3],
      k: [3, 3, 4],
      strides: [1],
      dilation: [2],
      padding: 'valid',
    },
    {
      name: '2d same s2 (asymmetric pad)',
      x: [2, 6, 7, 3],
      k: [3, 3, 3, 4],
      strides: [2, 2],
      dilation: [1, 1],
      padding: 'same',
    },
    {
      name: '2d valid s(2,1)',
      x: [1, 7, 6, 2],
      k: [2, 3, 2, 3],
      strides: [2, 1],
      dilation: [1, 1],
      padding: 'valid',
    },
    {
      name: '2d same dil2',
      x: [1, 7, 7, 2],
      k: [3, 3, 2, 3],
      strides: [1, 1],
      dilation: [2, 2],
      padding: 'same',
    },
    {
      name: '2d groups=2',
      x: [2, 5, 5, 4],
      k: [3, 3, 2, 6],
      strides: [1, 1],
      dilation: [1, 1],
      padding: 'same',
      groups: 2,
    },
    {
      name: '3d same s2',
      x: [1, 5, 4, 5, 2],
      k: [3, 2, 3, 2, 3],
      strides: [2, 2, 2],
      dilation: [1, 1, 1],
      padding: 'same',
    },
    {
      name: '3d valid dil2',
      x: [1, 6, 6, 6, 2],
      k: [2, 2, 2, 2, 3],
      strides: [1, 1, 1],
      dilation: [2, 2, 2],
      padding: 'valid',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const x = sample(c.x, 3);
      const k = sample(c.k, 7);
      const bias = sample([c.k[c.k.length - 1] as number], 11).data;
      const expected = refConv(x, k, { ...c, bias });
      const y = convChannelsLast(t(x), t(k), {
        ...c,
        dilationRate: c.dilation,
        bias: tf.tensor1d(bias),
      });
      expect(y).toBeAllclose(nested(expected), tol);
      const yRelu = convChannelsLast(t(x), t(k), {
        ...c,
        dilationRate: c.dilation,
        bias: tf.tensor1d(bias),
        activation: 'relu',
      });
      expect(yRelu).toBeAllclose(
        nested({ ...expected, data: expected.data.map((v) => Math.max(v, 0)) }),
        tol,
      );
    });
  }
});

describe('depthwiseChannelsLast against a loop reference', () => {
  it('2d same s2, multiplier 2', () => {
    const x = sample([2, 7, 6, 3], 5);
    const k = sample([3, 3, 3, 2], 9);
    const expected = refDepthwise(x, k, { strides: [2, 2], padding: 'same' });
    const y = depthwiseChannelsLast(t(x), t(k), {
      strides: [2, 2],
      padding: 'same',
      dilationRate: [1, 1],
    });
    expect(y).toBeAllclose(nested(expected), tol);
  });
  it('1d valid dilation 2', () => {
    const x = sample([2, 9, 3], 5);
    const k = sample([3, 3, 2], 9);
    const expected = refDepthwise(x, k, { strides: [1], dilation: [2], padding: 'valid' });
    const y = depthwiseChannelsLast(t(x), t(k), {
      strides: [1],
      padding: 'valid',
      dilationRate: [2],
    });
    expect(y).toBeAllclose(nested(expected), tol);
  });
});

describe('convTransposeChannelsLast against a scatter reference', () => {
  const cases: {
    name: string;
    x: number[];
    k: number[];
    strides: number[];
    padding: 'valid' | 'same';
    outputPadding?: number[] | null;
    dilation?: number[];
  }[] = [
    { name: '1d same s2', x: [2, 5, 3], k: [3, 4, 3], strides: [2], padding: 'same' },
    {
      name: '1d valid s3 output_padding 1',
      x: [1, 4, 2],
      k: [2, 3, 2],
      strides: [3],
      padding: 'valid',
      outputPadding: [1],
    },
    { name: '2d same s2', x: [2, 4, 3, 3], k: [3, 3, 4, 3], strides: [2, 2], padding: 'same' },
    { name: '2d valid k2 s1', x: [1, 5, 5, 3], k: [2, 2, 3, 3], strides: [1, 1], padding: 'valid' },
    {
      name: '2d valid k2 s3 (max(k,s) rule)',
      x: [1, 3, 3, 2],
      k: [2, 2, 3, 2],
      strides: [3, 3],
      padding: 'valid',
    },
    {
      name: '2d same dilation 2',
      x: [1, 5, 5, 2],
      k: [3, 3, 2, 2],
      strides: [1, 1],
      padding: 'same',
      dilation: [2, 2],
    },
    {
      name: '3d same s2',
      x: [1, 3, 2, 3, 3],
      k: [3, 3, 2, 4, 3],
      strides: [2, 2, 2],
      padding: 'same',
    },
    {
      name: '3d valid s2',
      x: [2, 2, 3, 2, 2],
      k: [2, 3, 2, 3, 2],
      strides: [2, 1, 2],
      padding: 'valid',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const x = sample(c.x, 13);
      const k = sample(c.k, 17);
      const expected = refConvTranspose(x, k, {
        strides: c.strides,
        padding: c.padding,
        outputPadding: c.outputPadding ?? null,
        dilation: c.dilation,
      });
      const y = convTransposeChannelsLast(t(x), t(k), {
        strides: c.strides,
        padding: c.padding,
        outputPadding: c.outputPadding ?? null,
        dilationRate: c.dilation ?? c.strides.map(() => 1),
      });
      expect(y).toBeAllclose(nested(expected), tol);
    });
  }
});

it('convTransposeViaConv (the 3-D path) also matches in 2-D', () => {
  const x = sample([1, 3, 4, 3], 13);
  const k = sample([3, 3, 4, 3], 17);
  const expected = refConvTranspose(x, k, { strides: [2, 2], padding: 'same' });
  const y = convTransposeViaConv(t(x), t(k), [6, 8], [2, 2], 'same');
  expect(y).toBeAllclose(nested(expected), tol);
});

describe('poolChannelsLast against a loop reference', () => {
  const cases: {
    name: string;
    x: number[];
    poolSize: number[];
    strides: number[];
    padding: 'valid' | 'same';
  }[] = [
    { name: '1d same', x: [2, 7, 3], poolSize: [3], strides: [2], padding: 'same' },
    { name: '2d valid s1', x: [2, 5, 4, 3], poolSize: [2, 2], strides: [1, 1], padding: 'valid' },
    {
      name: '2d same s2 (partial windows)',
      x: [1, 5, 5, 2],
      poolSize: [3, 3],
      strides: [2, 2],
      padding: 'same',
    },
    {
      name: '3d same',
      x: [1, 5, 4, 3, 2],
      poolSize: [2, 3, 2],
      strides: [2, 2, 2],
      padding: 'same',
    },
  ];
  for (const c of cases) {
    for (const mode of ['max', 'average'] as const) {
      it(`${c.name} ${mode}`, () => {
        const x = sample(c.x, 23);
        const expected = refPool(x, { ...c, mode });
        expect(poolChannelsLast(t(x), { ...c, mode })).toBeAllclose(nested(expected), tol);
      });
    }
  }
});

describe('helpers', () => {
  it('dilateAlong inserts zeros between entries', () => {
    const y = dilateAlong(tf.tensor([[1, 2, 3]]), [1], [3]);
    expect(y).toBeAllclose([[1, 0, 0, 2, 0, 0, 3]]);
  });
  it('inChannelsLast transposes in and out', () => {
    const x = tf.reshape(tf.range(0, 24), [1, 2, 3, 4]);
    const seen: number[][] = [];
    const y = inChannelsLast(x, 'channels_first', (xl) => {
      seen.push(xl.shape);
      return xl;
    });
    expect(seen).toEqual([[1, 3, 4, 2]]);
    expect(y).toBeAllclose(x);
  });
  it('does not leak tensors', () => {
    const x = tf.ones([1, 5, 5, 2]);
    const k = tf.ones([3, 3, 2, 2]);
    const kg = tf.ones([3, 3, 1, 2]);
    const before = tf.memory().numTensors;
    const y = convTransposeChannelsLast(x, k, {
      strides: [2, 2],
      padding: 'same',
      outputPadding: null,
      dilationRate: [2, 2],
    });
    const z = convChannelsLast(x, kg, {
      strides: [1, 1],
      padding: 'same',
      dilationRate: [1, 1],
      groups: 2,
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, k, kg, y, z]);
  });
});
