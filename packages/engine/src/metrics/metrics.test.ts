import { ensureBackend } from '@keras-ts/backend';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy-metrics.js';
import { AUC, FalsePositives, Precision, Recall, TruePositives } from './confusion-metrics.js';
import { F1Score, FBetaScore, type FScoreAverage } from './f-score-metrics.js';
import { IoU, MeanIoU } from './iou-metrics.js';
import type { Metric } from './metric.js';
import { Mean, Sum } from './reduction-metrics.js';
import { type R2Aggregation, R2Score, RootMeanSquaredError } from './regression-metrics.js';

beforeAll(() => ensureBackend());

// Expected values are Keras 3's own, from keras/src/metrics/*_test.py.
// For Sum and Mean the second slot is the sample weight: they are called as (values, sampleWeight).
type Case = [string, () => Metric, unknown, unknown, unknown, number | number[]];

const FP_T = [
  [0, 1, 0, 1, 0],
  [0, 0, 1, 1, 1],
  [1, 1, 1, 1, 0],
  [0, 0, 0, 0, 1],
];
const FP_P = [
  [0, 0, 1, 1, 0],
  [1, 1, 1, 1, 1],
  [0, 1, 0, 1, 0],
  [1, 1, 1, 1, 1],
];
const TH_P = [
  [0.9, 0.2, 0.8, 0.1],
  [0.2, 0.9, 0.7, 0.6],
  [0.1, 0.2, 0.4, 0.3],
  [0, 1, 0.7, 0.3],
];
const TH_T = [
  [0, 1, 1, 0],
  [1, 0, 0, 0],
  [0, 0, 0, 0],
  [1, 1, 1, 1],
];
const AUC_P = [0, 0.5, 0.3, 0.9];
const AUC_T = [0, 0, 1, 1];
const AUC_W = [1, 2, 3, 4];
const CAT_T = [
  [0, 0, 1],
  [0, 1, 0],
];
const CAT_P = [
  [0.1, 0.9, 0.8],
  [0.05, 0.95, 0],
];

const CASES: Case[] = [
  ['Sum', () => new Sum(), [1, 3, 5, 7], undefined, undefined, 16],
  ['Sum weighted', () => new Sum(), [1, 3, 5, 7], [1, 1, 0, 0], undefined, 4],
  [
    'Sum weighted nd',
    () => new Sum(),
    [
      [1, 3],
      [5, 7],
    ],
    [
      [1, 1],
      [1, 0],
    ],
    undefined,
    9,
  ],
  ['Mean', () => new Mean(), [1, 3, 5, 7], undefined, undefined, 4],
  ['Mean weighted', () => new Mean(), [1, 3, 5, 7], [1, 1, 0, 0], undefined, 2],
  [
    'Mean weighted nd',
    () => new Mean(),
    [
      [1, 3],
      [5, 7],
    ],
    [
      [1, 1],
      [1, 0],
    ],
    undefined,
    3,
  ],
  ['Accuracy', () => new Accuracy(), [[1], [2], [3], [4]], [[0], [2], [3], [4]], undefined, 0.75],
  [
    'Accuracy weighted',
    () => new Accuracy(),
    [[1], [2], [3], [4]],
    [[0], [2], [3], [4]],
    [1, 1, 0, 0],
    0.5,
  ],
  [
    'BinaryAccuracy',
    () => new BinaryAccuracy(),
    [[1], [1], [0], [0]],
    [[0.98], [1], [0], [0.6]],
    undefined,
    0.75,
  ],
  [
    'BinaryAccuracy rank-1 labels',
    () => new BinaryAccuracy(),
    [1, 1, 0, 0],
    [[0.98], [1], [0], [0.6]],
    undefined,
    0.75,
  ],
  [
    'BinaryAccuracy weighted',
    () => new BinaryAccuracy(),
    [[1], [1], [0], [0]],
    [[0.98], [1], [0], [0.6]],
    [1, 0, 0, 1],
    0.5,
  ],
  ['CategoricalAccuracy', () => new CategoricalAccuracy(), CAT_T, CAT_P, undefined, 0.5],
  ['CategoricalAccuracy weighted', () => new CategoricalAccuracy(), CAT_T, CAT_P, [0.7, 0.3], 0.3],
  [
    'SparseCategoricalAccuracy',
    () => new SparseCategoricalAccuracy(),
    [[2], [1]],
    [
      [0.1, 0.6, 0.3],
      [0.05, 0.95, 0],
    ],
    undefined,
    0.5,
  ],
  [
    'SparseCategoricalAccuracy weighted',
    () => new SparseCategoricalAccuracy(),
    [[2], [1]],
    [
      [0.1, 0.6, 0.3],
      [0.05, 0.95, 0],
    ],
    [0.7, 0.3],
    0.3,
  ],
  [
    'TopKCategoricalAccuracy k=1',
    () => new TopKCategoricalAccuracy({ k: 1 }),
    CAT_T,
    CAT_P,
    undefined,
    0.5,
  ],
  [
    'TopKCategoricalAccuracy weighted',
    () => new TopKCategoricalAccuracy({ k: 1 }),
    CAT_T,
    CAT_P,
    [0.7, 0.3],
    0.3,
  ],
  [
    'SparseTopK k=1',
    () => new SparseTopKCategoricalAccuracy({ k: 1 }),
    [2, 1],
    CAT_P,
    undefined,
    0.5,
  ],
  [
    'SparseTopK weighted',
    () => new SparseTopKCategoricalAccuracy({ k: 1 }),
    [2, 1],
    CAT_P,
    [0.7, 0.3],
    0.3,
  ],
  ['FalsePositives', () => new FalsePositives(), FP_T, FP_P, undefined, 7],
  ['FalsePositives weighted', () => new FalsePositives(), FP_T, FP_P, [1.0, 1.5, 2.0, 2.5], 14],
  [
    'FalsePositives thresholds',
    () => new FalsePositives({ thresholds: [0.15, 0.5, 0.85] }),
    TH_T,
    TH_P,
    undefined,
    [7, 4, 2],
  ],
  [
    'FalsePositives thresholds weighted',
    () => new FalsePositives({ thresholds: [0.15, 0.5, 0.85] }),
    TH_T,
    TH_P,
    [
      [1, 2, 3, 5],
      [7, 11, 13, 17],
      [19, 23, 29, 31],
      [5, 15, 10, 0],
    ],
    [125, 42, 12],
  ],
  ['TruePositives', () => new TruePositives(), FP_T, FP_P, undefined, 7],
  ['Precision', () => new Precision(), [0, 1, 1, 0], [1, 0, 1, 0], undefined, 0.5],
  [
    'Precision weighted',
    () => new Precision(),
    [
      [0, 1, 1, 0],
      [1, 0, 0, 1],
    ],
    [
      [1, 0, 1, 0],
      [1, 0, 1, 0],
    ],
    [
      [1, 2, 3, 4],
      [4, 3, 2, 1],
    ],
    (3 + 4) / (1 + 3 + (4 + 2)),
  ],
  [
    'Precision top_k',
    () => new Precision({ topK: 3 }),
    [0, 1, 1, 0, 0],
    [0.2, 0.1, 0.5, 0, 0.2],
    undefined,
    1 / 3,
  ],
  ['Recall', () => new Recall(), [0, 1, 1, 0], [1, 0, 1, 0], undefined, 0.5],
  [
    'Recall weighted',
    () => new Recall(),
    [
      [0, 1, 1, 0],
      [1, 0, 0, 1],
    ],
    [
      [1, 0, 1, 0],
      [0, 1, 0, 1],
    ],
    [
      [1, 2, 3, 4],
      [4, 3, 2, 1],
    ],
    (3 + 1) / (2 + 3 + (4 + 1)),
  ],
  [
    'Recall top_k',
    () => new Recall({ topK: 3 }),
    [0, 1, 1, 0, 0],
    [0.2, 0.1, 0.5, 0, 0.2],
    undefined,
    0.5,
  ],
  ['AUC all correct', () => new AUC(), AUC_T, AUC_T, undefined, 1],
  ['AUC ROC', () => new AUC({ numThresholds: 3 }), AUC_T, AUC_P, undefined, 0.75],
  [
    'AUC from logits',
    () => new AUC({ numThresholds: 3, fromLogits: true }),
    AUC_T,
    AUC_P.map((p) => -Math.log(1 / (p + 1e-12) - 1)),
    undefined,
    0.75,
  ],
  ['AUC manual thresholds', () => new AUC({ thresholds: [0.5] }), AUC_T, AUC_P, undefined, 0.75],
  ['AUC ROC weighted', () => new AUC({ numThresholds: 3 }), AUC_T, AUC_P, AUC_W, 0.7855],
  [
    'AUC ROC majoring',
    () => new AUC({ numThresholds: 3, summationMethod: 'majoring' }),
    AUC_T,
    AUC_P,
    AUC_W,
    1,
  ],
  [
    'AUC PR majoring',
    () => new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'majoring' }),
    AUC_T,
    AUC_P,
    AUC_W,
    0.429 + 0.571,
  ],
  [
    'AUC PR minoring',
    () => new AUC({ numThresholds: 3, curve: 'PR', summationMethod: 'minoring' }),
    AUC_T,
    AUC_P,
    AUC_W,
    0.7 * 0.429,
  ],
  [
    'AUC PR interpolation',
    () => new AUC({ numThresholds: 3, curve: 'PR' }),
    AUC_T,
    AUC_P,
    AUC_W,
    2.416 / 7 + 4 / 7,
  ],
  ['RMSE', () => new RootMeanSquaredError(), [2, 4, 6], [1, 3, 2], undefined, Math.sqrt(6)],
  [
    'RMSE weighted',
    () => new RootMeanSquaredError(),
    [2, 4, 6, 8],
    [1, 3, 2, 3],
    [0, 1, 0, 1],
    Math.sqrt(13),
  ],
  [
    'IoU',
    () => new IoU({ numClasses: 2, targetClassIds: [0, 1] }),
    [0, 0, 1, 1],
    [0, 1, 0, 1],
    undefined,
    (1 / 3 + 1 / 3) / 2,
  ],
  [
    'IoU weighted float',
    () => new IoU({ numClasses: 2, targetClassIds: [1, 0], dtype: 'float32' }),
    [0, 0, 1, 1],
    [0, 1, 0, 1],
    [0.2, 0.3, 0.4, 0.1],
    (0.1 / (0.4 + 0.5 - 0.1) + 0.2 / (0.6 + 0.5 - 0.2)) / 2,
  ],
  [
    'MeanIoU',
    () => new MeanIoU({ numClasses: 2 }),
    [0, 0, 1, 1],
    [0, 1, 0, 1],
    undefined,
    (1 / 3 + 1 / 3) / 2,
  ],
];

describe('metrics reproduce keras/src/metrics/*_test.py', () => {
  it.each(CASES)('%s', (_, make, yTrue, yPred, sw, expected) => {
    const m = make();
    const out = m.call(
      yTrue as tf.Tensor,
      yPred as tf.Tensor | null,
      sw === undefined ? undefined : (sw as tf.Tensor),
    );
    expect(out).toBeAllclose(expected, { atol: 1e-3, rtol: 1e-3 });
    m.resetState();
    expect(
      m.variables.every((v) => (v.value.dataSync() as Float32Array).every((x) => x === 0)),
    ).toBe(true);
  });
});

describe('F-scores (keras/src/metrics/f_score_metrics_test.py)', () => {
  const yPred = [
    [0.7, 0.7, 0.7],
    [1, 0, 0],
    [0.9, 0.8, 0],
  ];
  const yTrue = [
    [0, 0, 1],
    [1, 1, 0],
    [1, 1, 1],
  ];
  it.each([
    [null, 0.5, [0.71428573, 0.5, 0.833334]],
    [null, 1.0, [0.8, 0.5, 0.6666667]],
    [null, 2.0, [0.9090904, 0.5, 0.555556]],
    ['micro', 0.5, 0.6666667],
    ['micro', 2.0, 0.6666667],
    ['macro', 0.5, 0.6825397],
    ['macro', 1.0, 0.6555555],
    ['weighted', 2.0, 0.6548822],
  ] as [FScoreAverage, number, number | number[]][])(
    'average=%s beta=%s',
    (average, beta, expected) => {
      const m = new FBetaScore({ average, beta, threshold: 0.66 });
      expect(m.call(yTrue, yPred)).toBeAllclose(expected, { atol: 1e-5, rtol: 1e-5 });
    },
  );
  it('perfect and worst scores', () => {
    const p = yPred;
    expect(
      new F1Score({ average: 'macro', threshold: 0.66 }).call(
        [
          [1, 1, 1],
          [1, 0, 0],
          [1, 1, 0],
        ],
        p,
      ),
    ).toBeAllclose(1, {
      atol: 1e-5,
    });
    expect(
      new F1Score({ average: 'micro', threshold: 0.66 }).call(
        [
          [0, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
        p,
      ),
    ).toBeAllclose(0);
  });
});

describe('R2Score (sklearn comparison values in Keras tests)', () => {
  const yTrue = [
    [0, 0, 1],
    [0, 1, 0],
    [1, 0, 0],
  ];
  const yPred = [
    [0.4, 0.5, 0.6],
    [0.1, 0.2, 0.3],
    [0.5, 0.8, 0.2],
  ];
  it.each([
    [null, 0, [0.37, -1.295, 0.565]],
    [null, 1, [-0.26, -3.59, 0.13]],
    ['uniform_average', 0, -0.12],
    ['variance_weighted_average', 0, -0.12],
  ] as [R2Aggregation, number, number | number[]][])(
    'sklearn: %s, %s regressors',
    (agg, n, expected) => {
      const m = new R2Score({ classAggregation: agg, numRegressors: n });
      expect(m.call(yTrue, yPred)).toBeAllclose(expected, { atol: 1e-5 });
    },
  );
  const tfaPred = [
    [0.4, 0.9, 1.6],
    [0.1, 1.2, 0.6],
    [1.5, 0.8, 0.6],
  ];
  it.each([
    [null, 0, [0.17305559, -8.836666, -0.521]],
    [null, 1, [-0.65388882, -18.673332, -2.042]],
    [null, 2, [0.17305559, -8.836666, -0.521]],
    ['uniform_average', 0, -3.0615367889404297],
    ['uniform_average', 1, -7.123073577880859],
    ['variance_weighted_average', 0, -1.3710224628448486],
    ['variance_weighted_average', 1, -3.742044448852539],
  ] as [R2Aggregation, number, number | number[]][])(
    'tfa: %s, %s regressors',
    (agg, n, expected) => {
      const m = new R2Score({ classAggregation: agg, numRegressors: n });
      expect(m.call(yTrue, tfaPred, [0.8, 0.1, 0.4])).toBeAllclose(expected, {
        atol: 1e-5,
        rtol: 1e-5,
      });
    },
  );
});

describe('metric state', () => {
  it('accumulates across batches exactly (epoch precision is not a mean of batch values)', () => {
    const p = new Precision();
    p.updateState([1, 0], [1, 1]);
    p.updateState([1, 1, 1, 1], [1, 1, 1, 1]);
    // 5 TP of 6 predicted positives, where the batch mean would be (0.5 + 1) / 2.
    expect(p.result()).toBeAllclose(5 / 6);
  });
  it('AUC keeps Keras threshold layout and variable names', () => {
    const auc = new AUC({ thresholds: [0.5], name: 'auc' });
    expect(auc.numThresholds).toBe(3);
    expect(auc.thresholds).toBeAllclose([0, 0.5, 1], { atol: 1e-6 });
    expect(auc.variables.map((v) => v.path)).toEqual([
      'auc/true_positives',
      'auc/false_positives',
      'auc/true_negatives',
      'auc/false_negatives',
    ]);
  });
});
