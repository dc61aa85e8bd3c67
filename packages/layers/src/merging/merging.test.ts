import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Input } from '../engine/input-layer.js';
import { setKerasMask } from '../engine/keras-mask.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import { runLayerTest } from '../testing/index.js';
import { Concatenate } from './concatenate.js';
import { Dot } from './dot.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './elementwise.js';

let a: tf.Tensor;
let b: tf.Tensor;

beforeAll(async () => {
  await ensureBackend();
  a = tf.tensor2d([
    [1, 5],
    [-2, 0],
  ]);
  b = tf.tensor2d([
    [3, 1],
    [4, -1],
  ]);
});

describe('elementwise merges', () => {
  it.each([
    [
      Add,
      [
        [4, 6],
        [2, -1],
      ],
    ],
    [
      Subtract,
      [
        [-2, 4],
        [-6, 1],
      ],
    ],
    [
      Multiply,
      [
        [3, 5],
        [-8, 0],
      ],
    ],
    [
      Average,
      [
        [2, 3],
        [1, -0.5],
      ],
    ],
    [
      Maximum,
      [
        [3, 5],
        [4, 0],
      ],
    ],
    [
      Minimum,
      [
        [1, 1],
        [-2, -1],
      ],
    ],
  ] as const)('%o', (Cls, expected) => {
    runLayerTest(Cls, {
      initArgs: {},
      inputData: [a, b],
      expectedOutputShape: [2, 2],
      expectedOutput: expected as unknown as number[][],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('Add takes three inputs and broadcasts; Subtract wants exactly two', () => {
    const y = new Add().apply([a, b, tf.tensor1d([10, 20])]) as tf.Tensor;
    expect(y).toBeAllclose([
      [14, 26],
      [12, 19],
    ]);
    const s = new Add().apply([
      Input({ shape: [3, 4] }),
      Input({ shape: [1, 4] }),
    ]) as SymbolicTensor;
    expect(s.shape).toEqual([null, 3, 4]);
    const three = new Maximum().apply([
      Input({ shape: [2, 3] }),
      Input({ shape: [1, 3] }),
      Input({ shape: [2, 1] }),
    ]);
    expect((three as SymbolicTensor).shape).toEqual([null, 2, 3]);
    expect(() =>
      new Subtract().apply([Input({ shape: [2] }), Input({ shape: [2] }), Input({ shape: [2] })]),
    ).toThrow(/exactly 2 inputs/);
    expect(() =>
      new Add({ name: 'adder' }).apply([Input({ shape: [3] }), Input({ shape: [4] })]),
    ).toThrow(/"adder" have incompatible shapes.*\(3,\) and \(4,\)/);
    expect(() => new Add().apply(Input({ shape: [3] }))).toThrow(
      /should be called on a list of inputs/,
    );
  });

  it('ANDs the input masks', () => {
    const x1 = tf.ones([1, 3, 2]);
    const x2 = tf.ones([1, 3, 2]);
    setKerasMask(x1, tf.tensor2d([[1, 1, 0]], undefined, 'bool'));
    setKerasMask(x2, tf.tensor2d([[0, 1, 1]], undefined, 'bool'));
    const y = new Add().apply([x1, x2]) as tf.Tensor;
    const mask = new Add().computeMask(
      [x1, x2],
      [tf.tensor2d([[1, 1, 0]], undefined, 'bool'), tf.tensor2d([[0, 1, 1]], undefined, 'bool')],
    );
    expect(mask).toBeAllclose([[0, 1, 0]]);
    expect(y.shape).toEqual([1, 3, 2]);
  });
});

describe('Concatenate', () => {
  it('joins along axis (Keras docs: (2, 2, 5) + (2, 1, 5) on axis 1 -> (2, 3, 5))', () => {
    const x = tf.reshape(tf.range(0, 20), [2, 2, 5]);
    const y = tf.reshape(tf.range(20, 30), [2, 1, 5]);
    runLayerTest(Concatenate, {
      initArgs: { axis: 1 },
      inputData: [x, y],
      expectedOutputShape: [2, 3, 5],
      expectedOutput: tf.concat([x, y], 1),
    });
    const s = new Concatenate().apply([
      Input({ shape: [3] }),
      Input({ shape: [4] }),
    ]) as SymbolicTensor;
    expect(s.shape).toEqual([null, 7]);
    expect(() =>
      new Concatenate({ name: 'cat' }).apply([Input({ shape: [2, 3] }), Input({ shape: [3, 3] })]),
    ).toThrow(
      /\("cat"\) requires inputs with matching shapes except for the concatenation axis -1/,
    );
  });

  it('concatenates masks, filling missing ones with true', () => {
    const x1 = tf.ones([1, 2, 3]);
    const x2 = tf.ones([1, 2, 3]);
    const m = new Concatenate({ axis: 1 }).computeMask(
      [x1, x2],
      [tf.tensor2d([[1, 0]], undefined, 'bool'), null],
    );
    expect(m).toBeAllclose([[1, 0, 1, 1]]);
  });
});

describe('Dot', () => {
  it('matches the Keras docs example (axes (1, 2)) -> [[[260, 360], [320, 445]]]', () => {
    const x = tf.reshape(tf.range(0, 10), [1, 5, 2]);
    const y = tf.reshape(tf.range(10, 20), [1, 2, 5]);
    runLayerTest(Dot, {
      initArgs: { axes: [1, 2] },
      inputData: [x, y],
      expectedOutputShape: [1, 2, 2],
      expectedOutput: [
        [
          [260, 360],
          [320, 445],
        ],
      ],
    });
  });

  it('rank-2 dot gives (batch, 1); normalize gives cosine similarity', () => {
    const y = new Dot({ axes: 1 }).apply([a, b]) as tf.Tensor;
    expect(y).toBeAllclose([[8], [-8]]);
    const cos = new Dot({ axes: 1, normalize: true }).apply([
      tf.tensor2d([[3, 4]]),
      tf.tensor2d([[4, 3]]),
    ]);
    expect(cos).toBeAllclose([[24 / 25]]);
    const s = new Dot({ axes: -1 }).apply([
      Input({ shape: [3] }),
      Input({ shape: [3] }),
    ]) as SymbolicTensor;
    expect(s.shape).toEqual([null, 1]);
    expect(() =>
      new Dot({ axes: 1, name: 'dd' }).apply([Input({ shape: [3] }), Input({ shape: [4] })]),
    ).toThrow(/Incompatible input shapes for layer "dd"/);
    expect(new Dot({ axes: [1, 2], name: 'd' }).getConfig()).toMatchObject({
      axes: [1, 2],
      normalize: false,
    });
  });
});
