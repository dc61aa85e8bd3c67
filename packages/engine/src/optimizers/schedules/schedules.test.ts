import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { CosineDecay, CosineDecayRestarts } from './cosine-decay.js';
import {
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
} from './decay-schedules.js';
import { deserialize, serialize } from './serialization.js';

beforeAll(() => ensureBackend());

// Cases from keras/src/optimizers/schedules/learning_rate_schedule_test.py (closed forms).
describe('learning-rate schedules', () => {
  it('ExponentialDecay continuous and staircase', () => {
    expect(
      new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.96 }).valueAt(
        5,
      ),
    ).toBeCloseTo(0.05 * 0.96 ** 0.5, 7);
    const s = new ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 3,
      decayRate: 0.96,
      staircase: true,
    });
    expect(s.valueAt(2)).toBeCloseTo(0.1, 7);
    expect(s.valueAt(100)).toBeCloseTo(0.1 * 0.96 ** Math.floor(100 / 3), 7);
  });

  it('PiecewiseConstantDecay picks the interval value', () => {
    const s = new PiecewiseConstantDecay({
      boundaries: [100, 110, 120],
      values: [1.0, 0.1, 0.01, 0.001],
    });
    const at = [-999, 100, 105, 110, 120, 999].map((x) => s.valueAt(x));
    expect(at).toBeAllclose([1.0, 1.0, 0.1, 0.1, 0.01, 0.001]);
    const b = new PiecewiseConstantDecay({ boundaries: [1, 2, 3], values: [0.4, 0.5, 0.6, 0.7] });
    expect([0, 1, 2, 3, 4].map((x) => b.valueAt(x))).toBeAllclose([0.4, 0.4, 0.5, 0.6, 0.7]);
    expect(() => new PiecewiseConstantDecay({ boundaries: [1], values: [1] })).toThrow(
      /1 less than the length of values/,
    );
  });

  it('PolynomialDecay linear, sqrt and cycle', () => {
    const lr = 0.05;
    const end = 0.001;
    expect(
      new PolynomialDecay({ initialLearningRate: lr, decaySteps: 10, endLearningRate: 0 }).valueAt(
        5,
      ),
    ).toBeCloseTo(lr * 0.5, 7);
    const lin = new PolynomialDecay({
      initialLearningRate: lr,
      decaySteps: 10,
      endLearningRate: end,
    });
    expect(lin.valueAt(5)).toBeCloseTo((lr + end) * 0.5, 7);
    expect(lin.valueAt(15)).toBeCloseTo(end, 7);
    const cyc = new PolynomialDecay({
      initialLearningRate: lr,
      decaySteps: 10,
      endLearningRate: end,
      cycle: true,
    });
    expect(cyc.valueAt(15)).toBeCloseTo((lr - end) * 0.25 + end, 7);
    const sqrt = new PolynomialDecay({
      initialLearningRate: lr,
      decaySteps: 10,
      endLearningRate: end,
      power: 0.5,
      cycle: true,
    });
    expect(sqrt.valueAt(15)).toBeCloseTo((lr - end) * 0.25 ** 0.5 + end, 7);
    expect(
      new PolynomialDecay({ initialLearningRate: 0.001, decaySteps: 10, cycle: true }).valueAt(0),
    ).toBeCloseTo(0.001, 7);
  });

  it('InverseTimeDecay continuous and staircase', () => {
    const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.96 });
    const st = new InverseTimeDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.96,
      staircase: true,
    });
    for (let i = 0; i <= 10; i++) {
      expect(s.valueAt(i)).toBeCloseTo(0.1 / (1 + (i / 10) * 0.96), 7);
      expect(st.valueAt(i)).toBeCloseTo(0.1 / (1 + 0.96 * Math.floor(i / 10)), 7);
    }
  });

  it('CosineDecay with alpha and warmup', () => {
    const np = (step: number, steps: number, alpha = 0) => {
      const s = Math.min(step, steps);
      return (1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / steps)) + alpha;
    };
    for (let step = 0; step < 1500; step += 250) {
      expect(
        new CosineDecay({ initialLearningRate: 1, decaySteps: 1000 }).valueAt(step),
      ).toBeCloseTo(np(step, 1000), 6);
      expect(
        new CosineDecay({ initialLearningRate: 1, decaySteps: 1000, alpha: 0.1 }).valueAt(step),
      ).toBeCloseTo(np(step, 1000, 0.1), 6);
      const warm = new CosineDecay({
        initialLearningRate: 0,
        decaySteps: 10,
        warmupTarget: 10,
        warmupSteps: 1500,
      });
      expect(warm.valueAt(step)).toBeCloseTo((step / 1500) * 10, 4);
    }
  });

  it('CosineDecayRestarts matches the SGDR closed form', () => {
    // First period 100 steps, then 200 (t_mul 2), peak halves (m_mul 0.5).
    const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 100, mMul: 0.5 });
    expect(s.valueAt(50)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.5)), 5);
    expect(s.valueAt(150)).toBeCloseTo(0.5 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), 5);
    const flat = new CosineDecayRestarts({
      initialLearningRate: 2,
      firstDecaySteps: 10,
      tMul: 1,
      alpha: 0.1,
    });
    expect(flat.valueAt(13)).toBeCloseTo(2 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.3)) + 0.1), 5);
  });

  it('serializes as Keras 3 objects and back', () => {
    const s = new CosineDecay({
      initialLearningRate: 0.05,
      decaySteps: 10,
      alpha: 0.1,
      warmupTarget: 0.2,
      warmupSteps: 2,
      name: 'my_cd',
    });
    const json = serialize(s);
    expect(json).toEqual({
      module: 'keras.optimizers.schedules',
      class_name: 'CosineDecay',
      config: {
        initial_learning_rate: 0.05,
        decay_steps: 10,
        alpha: 0.1,
        name: 'my_cd',
        warmup_target: 0.2,
        warmup_steps: 2,
      },
      registered_name: null,
    });
    expect(deserialize(json).getConfig()).toEqual(json.config);
    expect(
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 1 }),
    ).toThrow('Argument `decay_steps` must be > 0. Received: decay_steps=0');
  });
});
