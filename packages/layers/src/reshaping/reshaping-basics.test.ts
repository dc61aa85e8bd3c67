import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Input } from '../engine/input-layer.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import { runLayerTest } from '../testing/index.js';
import { Flatten } from './flatten.js';
import { Permute } from './permute.js';
import { RepeatVector } from './repeat-vector.js';
import { Reshape } from './reshape.js';

beforeAll(() => ensureBackend());

describe('Flatten', () => {
  it('flattens all but the batch axis (Keras docs: (None, 1, 10, 64) -> (None, 640))', () => {
    const y = new Flatten().apply(Input({ shape: [1, 10, 64] })) as SymbolicTensor;
    expect(y.shape).toEqual([null, 640]);
    runLayerTest(Flatten, {
      initArgs: {},
      inputData: tf.tensor3d([
        [
          [1, 2],
          [3, 4],
        ],
      ]),
      expectedOutputShape: [1, 4],
      expectedOutput: [[1, 2, 3, 4]],
    });
    expect((new Flatten().apply(Input({ shape: [null, 3] })) as SymbolicTensor).shape).toEqual([
      null,
      null,
    ]);
  });

  it('channels_first moves channels last before flattening, like Keras', () => {
    // x[0] has channels c0 = [[1, 2], [3, 4]], c1 = [[5, 6], [7, 8]] -> NHWC order 1,5,2,6,3,7,4,8
    const x = tf.tensor4d([
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
    ]);
    runLayerTest(Flatten, {
      initArgs: { dataFormat: 'channels_first' },
      inputData: x,
      expectedOutput: [[1, 5, 2, 6, 3, 7, 4, 8]],
    });
    expect(new Flatten({ name: 'f' }).getConfig()).toMatchObject({
      name: 'f',
      data_format: 'channels_last',
    });
    expect(new Flatten().apply(tf.tensor1d([1, 2, 3]))).toBeAllclose([[1], [2], [3]]);
  });
});

describe('Reshape', () => {
  it('reshapes samples and infers -1', () => {
    runLayerTest(Reshape, {
      initArgs: { targetShape: [3, 4] },
      inputShape: [2, 12],
      expectedOutputShape: [2, 3, 4],
    });
    const y = new Reshape({ targetShape: [-1, 2, 2] }).apply(
      Input({ shape: [12] }),
    ) as SymbolicTensor;
    expect(y.shape).toEqual([null, 3, 2, 2]);
    expect(new Reshape({ targetShape: [2, -1] }).apply(tf.tensor2d([[1, 2, 3, 4]]))).toBeAllclose([
      [
        [1, 2],
        [3, 4],
      ],
    ]);
  });

  it('errors on incompatible sizes and bad targets', () => {
    expect(() => new Reshape({ targetShape: [5], name: 'r' }).apply(Input({ shape: [4] }))).toThrow(
      /"r" cannot reshape a sample of shape \(4,\)/,
    );
    expect(() => new Reshape({ targetShape: [-1, -1] })).toThrow(/Received: targetShape=\[-1,-1\]/);
  });
});

describe('Permute', () => {
  it('permutes non-batch axes, 1-based (Keras docs: (None, 10, 64) -> (None, 64, 10))', () => {
    const y = new Permute({ dims: [2, 1] }).apply(Input({ shape: [10, 64] })) as SymbolicTensor;
    expect(y.shape).toEqual([null, 64, 10]);
    runLayerTest(Permute, {
      initArgs: { dims: [2, 1] },
      inputData: tf.tensor3d([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ]),
      expectedOutput: [
        [
          [1, 4],
          [2, 5],
          [3, 6],
        ],
      ],
    });
    expect(() => new Permute({ dims: [0, 1] })).toThrow(/Received: dims=\[0,1\]/);
  });
});

describe('RepeatVector', () => {
  it('repeats (batch, f) n times (Keras docs: (None, 32) -> (None, 3, 32))', () => {
    const y = new RepeatVector({ n: 3 }).apply(Input({ shape: [32] })) as SymbolicTensor;
    expect(y.shape).toEqual([null, 3, 32]);
    runLayerTest(RepeatVector, {
      initArgs: { n: 2 },
      inputData: tf.tensor2d([[1, 2]]),
      expectedOutput: [
        [
          [1, 2],
          [1, 2],
        ],
      ],
    });
    expect(() => new RepeatVector({ n: 0 })).toThrow(/Received: n=0/);
  });
});
