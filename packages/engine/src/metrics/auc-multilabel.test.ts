import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUC } from './confusion-metrics.js';

beforeAll(() => ensureBackend());

// keras/src/metrics/confusion_metrics_test.py, MultiAUCTest (5 thresholds, two labels).
const Y_PRED = [
  [0, 0.1],
  [0.5, 0.2],
  [0.3, 0.3],
  [0.9, 0.4],
];
const Y_GOOD = [
  [0, 0],
  [0, 0],
  [1, 1],
  [1, 1],
];
const LOGITS = Y_PRED.map((r) => r.map((p) => -Math.log(1 / (p + 1e-12) - 1)));

describe('multi-label AUC (Keras MultiAUCTest)', () => {
  it('all correct, multi-label and flat', () => {
    expect(new AUC({ multiLabel: true }).call(Y_GOOD, Y_GOOD)).toBeAllclose(1);
    expect(new AUC({ multiLabel: false }).call(Y_GOOD, Y_GOOD)).toBeAllclose(1);
  });
  it('unweighted, from probabilities and from logits', () => {
    const expected = (0.875 + 1.0) / 2;
    expect(new AUC({ numThresholds: 5, multiLabel: true }).call(Y_GOOD, Y_PRED)).toBeAllclose(
      expected,
      {
        atol: 1e-3,
      },
    );
    expect(
      new AUC({ numThresholds: 5, multiLabel: true, fromLogits: true }).call(Y_GOOD, LOGITS),
    ).toBeAllclose(expected, { atol: 1e-3 });
  });
  it('flat with per-sample and full sample weights', () => {
    expect(new AUC({ numThresholds: 5 }).call(Y_GOOD, Y_PRED, [1, 2, 3, 4])).toBeAllclose(
      1 - (0.3333 * (1 - 0.2857)) / 2,
      { atol: 1e-3 },
    );
    const sw = [
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ];
    expect(new AUC({ numThresholds: 5 }).call(Y_GOOD, Y_PRED, sw)).toBeAllclose(
      1 - (0.3333 * (1 - 0.2727)) / 2,
      { atol: 1e-3 },
    );
  });
  it('label weights, multi-label and flat', () => {
    expect(
      new AUC({ numThresholds: 5, multiLabel: true, labelWeights: [0.75, 0.25] }).call(
        Y_GOOD,
        Y_PRED,
      ),
    ).toBeAllclose((0.875 * 0.75 + 1.0 * 0.25) / (0.75 + 0.25), { atol: 1e-3 });
    expect(
      new AUC({ numThresholds: 5, labelWeights: [0.75, 0.25] }).call(Y_GOOD, Y_PRED),
    ).toBeAllclose(1 - ((1 - 0.375) * 0.375) / 2, { atol: 1e-2 });
  });
});
