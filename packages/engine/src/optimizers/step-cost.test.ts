import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CategoricalAccuracy } from '../metrics/accuracy-metrics.js';
import { AUC } from '../metrics/confusion-metrics.js';
import { Adam } from './adam.js';
import { Nadam } from './nadam.js';
import { CosineDecay } from './schedules/cosine-decay.js';
import { SGD } from './sgd.js';

beforeAll(() => ensureBackend());

// A training step runs every batch: it must leave no tensors behind and read nothing back.
describe('an optimizer step is cheap', () => {
  it.each([
    [
      'Adam + clipnorm + EMA',
      () => new Adam({ clipnorm: 1, useEma: true, emaOverwriteFrequency: 2 }),
    ],
    ['Nadam + weight decay', () => new Nadam({ weightDecay: 0.01 })],
    [
      'SGD momentum + accumulation + schedule',
      () =>
        new SGD({
          momentum: 0.9,
          gradientAccumulationSteps: 2,
          learningRate: new CosineDecay({
            initialLearningRate: 0.1,
            decaySteps: 10,
            warmupTarget: 0.2,
            warmupSteps: 2,
          }),
        }),
    ],
  ])('%s leaks no tensors and syncs nothing', (_, make) => {
    const opt = make();
    const w = tf.variable(tf.randomNormal([4, 3]));
    const b = tf.variable(tf.zeros([3]));
    const step = () =>
      tf.tidy(() => {
        opt.applyGradients([
          [tf.onesLike(w), w],
          [tf.onesLike(b), b],
        ]);
      });
    step();
    const before = tf.memory().numTensors;
    const backend = tf.backend() as unknown as { readSync: (...a: unknown[]) => unknown };
    const original = backend.readSync;
    let reads = 0;
    backend.readSync = (...a: unknown[]) => {
      reads += 1;
      return original.apply(backend, a);
    };
    try {
      for (let i = 0; i < 5; i++) step();
    } finally {
      backend.readSync = original;
    }
    expect(reads).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('metric updates leak no tensors', () => {
    const acc = new CategoricalAccuracy();
    const auc = new AUC();
    const t = tf.tensor2d([
      [0, 1],
      [1, 0],
    ]);
    const p = tf.tensor2d([
      [0.2, 0.8],
      [0.3, 0.7],
    ]);
    acc.updateState(t, p);
    auc.updateState(t, p);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      acc.updateState(t, p);
      auc.updateState(t, p);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
