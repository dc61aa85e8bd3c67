import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Loss } from './loss.js';
import {
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Dice,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
  Tversky,
} from './loss-classes.js';
import { meanSquaredError } from './regression-functions.js';

beforeAll(() => ensureBackend());

// All expected values are Keras 3's, from keras/src/losses/losses_test.py (or its numpy formulas).
const YT = [
  [1, 9, 2],
  [-5, -2, 6],
];
const YP = [
  [4, 8, 12],
  [8, 1, 3],
];
const SW = [[1.2], [3.4]];
const CAT_T = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
const CAT_P = [
  [0.9, 0.05, 0.05],
  [0.5, 0.89, 0.6],
  [0.05, 0.01, 0.94],
];
const LOGITS = [
  [8, 1, 1],
  [0, 9, 1],
  [2, 3, 5],
];
const CAT_SW = [[1.2], [3.4], [5.6]];
const H_T = [
  [0, 1],
  [0, 0],
];
const H_P = [
  [0.6, 0.4],
  [0.4, 0.6],
];

// Keras checks these with assertAlmostEqual (3 decimals) against values rounded to 4 places.
const KERAS_ALMOST = 1.5e-3;

type Case = [
  string,
  () => Loss,
  unknown,
  unknown,
  unknown,
  number | number[] | number[][],
  number?,
];

const CASES: Case[] = [
  ['MSE unweighted', () => new MeanSquaredError(), YT, YP, undefined, 49.5],
  ['MSE scalar weight', () => new MeanSquaredError(), YT, YP, 2.3, 113.85],
  ['MSE sample weight', () => new MeanSquaredError(), YT, YP, SW, 767.8 / 6],
  ['MSE zero weight', () => new MeanSquaredError(), YT, YP, 0, 0],
  [
    'MSE no reduction',
    () => new MeanSquaredError({ reduction: null }),
    YT,
    YP,
    2.3,
    [84.3333, 143.3666],
  ],
  ['MSE sum', () => new MeanSquaredError({ reduction: 'sum' }), YT, YP, 2.3, 227.69998],
  [
    'MSE mean_with_sample_weight',
    () => new MeanSquaredError({ reduction: 'mean_with_sample_weight' }),
    YT,
    YP,
    SW,
    ((110 / 3) * 1.2 + (187 / 3) * 3.4) / (1.2 + 3.4),
  ],
  [
    'MSE timestep weights',
    () => new MeanSquaredError(),
    [
      [[1], [9], [2]],
      [[-5], [-2], [6]],
    ],
    [
      [[4], [8], [12]],
      [[8], [1], [3]],
    ],
    [
      [3, 6, 5],
      [0, 4, 2],
    ],
    97.833336,
  ],
  ['MAE unweighted', () => new MeanAbsoluteError(), YT, YP, undefined, 5.5],
  ['MAE scalar weight', () => new MeanAbsoluteError(), YT, YP, 2.3, 12.65],
  ['MAE sample weight', () => new MeanAbsoluteError(), YT, YP, SW, 81.4 / 6],
  [
    'MAE no reduction',
    () => new MeanAbsoluteError({ reduction: 'none' }),
    YT,
    YP,
    2.3,
    [10.7333, 14.5666],
  ],
  ['MAPE unweighted', () => new MeanAbsolutePercentageError(), YT, YP, undefined, 211.8518, 1e-3],
  ['MAPE scalar weight', () => new MeanAbsolutePercentageError(), YT, YP, 2.3, 487.259, 1e-3],
  ['MAPE sample weight', () => new MeanAbsolutePercentageError(), YT, YP, SW, 422.8888, 1e-3],
  ['MSLE unweighted', () => new MeanSquaredLogarithmicError(), YT, YP, undefined, 1.437, 1e-3],
  ['MSLE scalar weight', () => new MeanSquaredLogarithmicError(), YT, YP, 2.3, 3.3051, 1e-3],
  ['MSLE sample weight', () => new MeanSquaredLogarithmicError(), YT, YP, SW, 3.7856, 1e-3],
  ['Hinge', () => new Hinge(), H_T, H_P, undefined, 1.3],
  ['Hinge sum', () => new Hinge({ reduction: 'sum' }), H_T, H_P, undefined, 2.6],
  ['Hinge none weighted', () => new Hinge({ reduction: 'none' }), H_T, H_P, [1, 0], [1.1, 0]],
  ['Hinge weighted', () => new Hinge(), H_T, H_P, [1, 0], 0.55],
  ['SquaredHinge', () => new SquaredHinge(), H_T, H_P, undefined, 1.86],
  [
    'SquaredHinge none',
    () => new SquaredHinge({ reduction: 'none' }),
    H_T,
    H_P,
    undefined,
    [1.46, 2.26],
  ],
  ['SquaredHinge weighted', () => new SquaredHinge(), H_T, H_P, [1, 0], 0.73],
  ['CategoricalHinge', () => new CategoricalHinge(), H_T, H_P, undefined, 1.4],
  [
    'CategoricalHinge none',
    () => new CategoricalHinge({ reduction: 'none' }),
    H_T,
    H_P,
    undefined,
    [1.2, 1.6],
  ],
  ['CategoricalHinge weighted', () => new CategoricalHinge(), H_T, H_P, [1, 0], 0.6],
  [
    'BCE unweighted',
    () => new BinaryCrossentropy(),
    CAT_T,
    [
      [0.9, 0.1, 0.2],
      [0.3, 0.8, 0.1],
      [0.1, 0.2, 0.7],
    ],
    undefined,
    0.20046903,
  ],
  [
    'BCE saturated',
    () => new BinaryCrossentropy(),
    [
      [1, 0],
      [1, 0],
    ],
    [
      [1, 1],
      [1, 0],
    ],
    undefined,
    3.98559,
    1e-4,
  ],
  [
    'BCE saturated scalar weight',
    () => new BinaryCrossentropy(),
    [
      [1, 0],
      [1, 0],
    ],
    [
      [1, 1],
      [1, 0],
    ],
    2.3,
    9.1668,
    1e-3,
  ],
  [
    'BCE saturated sample weight',
    () => new BinaryCrossentropy(),
    [
      [1, 0],
      [1, 0],
    ],
    [
      [1, 1],
      [1, 0],
    ],
    SW,
    4.7827,
    1e-3,
  ],
  [
    'BCE logits',
    () => new BinaryCrossentropy({ fromLogits: true }),
    [
      [1, 0, 1],
      [0, 1, 1],
    ],
    [
      [10, -10, 10],
      [10, 10, -10],
    ],
    undefined,
    3.3333,
    KERAS_ALMOST,
  ],
  [
    'BCE logits sample weight',
    () => new BinaryCrossentropy({ fromLogits: true }),
    [
      [1, 0, 1],
      [0, 1, 1],
    ],
    [
      [10, -10, 10],
      [10, 10, -10],
    ],
    [4, 3],
    10.0,
    KERAS_ALMOST,
  ],
  [
    'BCE logits label smoothing',
    () => new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    [[1, 0, 1]],
    [[10, -10, -10]],
    undefined,
    (10 + 5 * 0.1) / 3,
  ],
  [
    'CCE unweighted',
    () => new CategoricalCrossentropy(),
    CAT_T,
    CAT_P,
    undefined,
    0.3239,
    KERAS_ALMOST,
  ],
  [
    'CCE logits',
    () => new CategoricalCrossentropy({ fromLogits: true }),
    CAT_T,
    LOGITS,
    undefined,
    0.0573,
    KERAS_ALMOST,
  ],
  [
    'CCE scalar weight',
    () => new CategoricalCrossentropy(),
    CAT_T,
    CAT_P,
    2.3,
    0.7449,
    KERAS_ALMOST,
  ],
  [
    'CCE sample weight',
    () => new CategoricalCrossentropy(),
    CAT_T,
    CAT_P,
    CAT_SW,
    1.0696,
    KERAS_ALMOST,
  ],
  [
    'CCE logits sample weight',
    () => new CategoricalCrossentropy({ fromLogits: true }),
    CAT_T,
    LOGITS,
    CAT_SW,
    0.31829,
    KERAS_ALMOST,
  ],
  [
    'CCE logits none',
    () => new CategoricalCrossentropy({ fromLogits: true, reduction: 'none' }),
    CAT_T,
    LOGITS,
    undefined,
    [0.001822, 0.000459, 0.169846],
  ],
  [
    'CCE label smoothing',
    () => new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    [[1, 0, 0]],
    [[100, -100, -100]],
    undefined,
    (400 * 0.1) / 3,
    1e-3,
  ],
  [
    'SCCE unweighted',
    () => new SparseCategoricalCrossentropy(),
    [0, 1, 2],
    CAT_P,
    undefined,
    0.3239,
    KERAS_ALMOST,
  ],
  [
    'SCCE logits',
    () => new SparseCategoricalCrossentropy({ fromLogits: true }),
    [0, 1, 2],
    LOGITS,
    undefined,
    0.0573,
    KERAS_ALMOST,
  ],
  [
    'SCCE column labels weighted',
    () => new SparseCategoricalCrossentropy(),
    [[0], [1], [2]],
    CAT_P,
    CAT_SW,
    1.0696,
    KERAS_ALMOST,
  ],
  [
    'SCCE logits none',
    () => new SparseCategoricalCrossentropy({ fromLogits: true, reduction: 'none' }),
    [[0], [1], [2]],
    LOGITS,
    undefined,
    [0.001822, 0.000459, 0.169846],
  ],
  [
    'SCCE ignore_class',
    () =>
      new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: 'none' }),
    [[-1, 2]],
    [
      [
        [0.854, 0.698, 0.598],
        [0.088, 0.86, 0.018],
      ],
    ],
    undefined,
    [[0, 1.480129]],
  ],
  [
    'BinaryFocal',
    () => new BinaryFocalCrossentropy({ gamma: 2 }),
    [
      [1, 0],
      [1, 0],
    ],
    [
      [0.9, 0.8],
      [0.7, 0.2],
    ],
    undefined,
    0.268,
    1e-3,
  ],
  [
    'BinaryFocal logits',
    () => new BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }),
    [
      [1, 1, 0],
      [0, 1, 0],
    ],
    [
      [1.5, -2.7, 2.9],
      [-3.8, 1.2, -4.5],
    ],
    undefined,
    0.799,
    1e-3,
  ],
  [
    'BinaryFocal none',
    () => new BinaryFocalCrossentropy({ gamma: 2, reduction: 'none' }),
    [
      [1, 0],
      [1, 0],
    ],
    [
      [0.9, 0.8],
      [0.7, 0.2],
    ],
    undefined,
    [0.515547, 0.020513],
  ],
  [
    'CategoricalFocal',
    () => new CategoricalFocalCrossentropy(),
    CAT_T,
    CAT_P,
    undefined,
    0.02059,
    1e-4,
  ],
  [
    'CategoricalFocal logits',
    () => new CategoricalFocalCrossentropy({ fromLogits: true }),
    CAT_T,
    LOGITS,
    undefined,
    0.000345,
    1e-5,
  ],
  [
    'CategoricalFocal sample weight',
    () => new CategoricalFocalCrossentropy(),
    CAT_T,
    CAT_P,
    CAT_SW,
    0.06987,
    1e-4,
  ],
  [
    'CategoricalFocal label smoothing',
    () => new CategoricalFocalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    [[1, 0, 0]],
    [[4.9, -0.5, 2.05]],
    undefined,
    0.06685,
    1e-4,
  ],
  [
    'Dice',
    () => new Dice(),
    [
      [1, 2],
      [1, 2],
    ],
    [
      [4, 1],
      [6, 1],
    ],
    undefined,
    -0.55555546,
  ],
  [
    'Dice segmentation',
    () => new Dice(),
    [
      [1, 0, 1, 0],
      [0, 1, 0, 1],
      [1, 0, 1, 0],
      [0, 1, 0, 1],
    ],
    [
      [0, 1, 0, 1],
      [1, 0, 1, 1],
      [0, 1, 0, 1],
      [1, 0, 1, 1],
    ],
    undefined,
    0.77777773,
  ],
  [
    'Dice axis',
    () => new Dice({ axis: [1, 2, 3], reduction: 'none' }),
    [
      [
        [[1], [1]],
        [[0], [0]],
      ],
      [
        [[1], [1]],
        [[0], [0]],
      ],
    ],
    [
      [
        [[0], [1]],
        [[0], [1]],
      ],
      [
        [[0.4], [0]],
        [[0], [0.9]],
      ],
    ],
    undefined,
    [0.5, 0.75757575],
  ],
  [
    'Tversky',
    () => new Tversky(),
    [
      [1, 2],
      [1, 2],
    ],
    [
      [4, 1],
      [6, 1],
    ],
    undefined,
    -0.55555558,
  ],
  [
    'Tversky custom',
    () => new Tversky({ alpha: 0.2, beta: 0.8 }),
    [
      [1, 2],
      [1, 2],
    ],
    [
      [4, 1],
      [6, 1],
    ],
    undefined,
    -0.94444442,
  ],
  [
    'Tversky axis custom',
    () => new Tversky({ alpha: 0.2, beta: 0.8, axis: [1, 2, 3], reduction: 'none' }),
    [
      [
        [[1], [1]],
        [[0], [0]],
      ],
      [
        [[1], [1]],
        [[0], [0]],
      ],
    ],
    [
      [
        [[0], [1]],
        [[0], [1]],
      ],
      [
        [[0.4], [0]],
        [[0], [0.9]],
      ],
    ],
    undefined,
    [0.5, 0.78494626],
  ],
];

describe('losses reproduce keras/src/losses/losses_test.py', () => {
  it.each(CASES)('%s', (_, make, yTrue, yPred, sw, expected, atol) => {
    const out = make().call(
      yTrue as tf.Tensor,
      yPred as tf.Tensor,
      sw === undefined ? undefined : (sw as tf.Tensor),
    );
    expect(out).toBeAllclose(expected, { atol: atol ?? 2e-5, rtol: 1e-5 });
  });
});

// Losses whose Keras tests compare to a numpy formula: the same formula, in plain JS.
describe('losses against their closed forms', () => {
  const flat = (a: number[][]) => a.flat();
  it('Huber', () => {
    const yp = [
      [0.9, 0.2, 0.2],
      [0.8, 0.4, 0.6],
    ];
    const yt = [
      [1, 0, 1],
      [1, 0, 0],
    ];
    const per = flat(yp).map((p, i) => {
      const e = Math.abs(p - (flat(yt)[i] as number));
      const q = Math.min(e, 1);
      return 0.5 * q * q + (e - q);
    });
    const sum = per.reduce((a, b) => a + b, 0);
    expect(new Huber().call(yt, yp)).toBeAllclose(sum / 6, { atol: 1e-5 });
    expect(new Huber().call(yt, yp, 2.3)).toBeAllclose((2.3 * sum) / 6, { atol: 1e-5 });
  });
  it('LogCosh', () => {
    const per = flat(YP).map((p, i) => {
      const e = p - (flat(YT)[i] as number);
      return Math.log((Math.exp(e) + Math.exp(-e)) / 2);
    });
    const w = [1.2, 1.2, 1.2, 3.4, 3.4, 3.4];
    expect(new LogCosh().call(YT, YP)).toBeAllclose(per.reduce((a, b) => a + b, 0) / 6, {
      atol: 1e-4,
    });
    expect(new LogCosh().call(YT, YP, [1.2, 3.4])).toBeAllclose(
      per.reduce((a, b, i) => a + b * (w[i] as number), 0) / 6,
      { atol: 1e-4 },
    );
  });
  it('KLDivergence', () => {
    const yp = [0.4, 0.9, 0.12, 0.36, 0.3, 0.4];
    const yt = [0.5, 0.8, 0.12, 0.7, 0.43, 0.8];
    const sum = yt.reduce((a, t, i) => a + t * Math.log(t / (yp[i] as number)), 0);
    const t2 = tf.tensor2d(yt, [2, 3]);
    const p2 = tf.tensor2d(yp, [2, 3]);
    expect(new KLDivergence().call(t2, p2)).toBeAllclose(sum / 2, { atol: 1e-4 });
    expect(new KLDivergence().call(t2, p2, 2.3)).toBeAllclose((2.3 * sum) / 2, { atol: 1e-4 });
  });
  it('Poisson', () => {
    const yp = [1, 9, 2, 5, 2, 6];
    const yt = [4, 8, 12, 8, 1, 3];
    const sum = yp.reduce((a, p, i) => a + p - (yt[i] as number) * Math.log(p), 0);
    expect(new Poisson().call(tf.tensor2d(yt, [2, 3]), tf.tensor2d(yp, [2, 3]))).toBeAllclose(
      sum / 6,
      {
        atol: 1e-4,
      },
    );
  });
  it('CosineSimilarity', () => {
    const cos = YT.map((t, r) => {
      const p = YP[r] as number[];
      const dot = t.reduce((a, x, i) => a + x * (p[i] as number), 0);
      return dot / (Math.hypot(...t) * Math.hypot(...p));
    });
    const mean = (cos[0]! + cos[1]!) / 2;
    expect(new CosineSimilarity().call(YT, YP)).toBeAllclose(-mean, { atol: 1e-4 });
    expect(new CosineSimilarity({ axis: 1 }).call(YT, YP, [1.2, 3.4])).toBeAllclose(
      -(cos[0]! * 1.2 + cos[1]! * 3.4) / 2,
      { atol: 1e-4 },
    );
  });
});

describe('loss API', () => {
  it('the function form reduces only the last axis', () => {
    expect(meanSquaredError([4, 8, 12], [[3], [0], [1]]).shape).toEqual([3]);
  });
  it('rejects an unknown reduction, echoing it', () => {
    expect(() => new Hinge({ reduction: 'abc' as 'sum' })).toThrow(
      /Invalid value for argument `reduction`.*Received: reduction=abc/,
    );
  });
  it('config matches Keras 3 keys', () => {
    expect(new MeanSquaredError({ name: 'mymse' }).getConfig()).toEqual({
      name: 'mymse',
      reduction: 'sum_over_batch_size',
    });
    expect(new CategoricalCrossentropy({ fromLogits: true }).getConfig()).toEqual({
      name: 'categorical_crossentropy',
      reduction: 'sum_over_batch_size',
      from_logits: true,
      label_smoothing: 0,
      axis: -1,
    });
  });
});
