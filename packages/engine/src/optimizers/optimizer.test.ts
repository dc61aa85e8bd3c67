import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Adam } from './adam.js';
import { Nadam } from './nadam.js';
import { deserialize, get, serialize } from './registry.js';
import { ExponentialDecay, PolynomialDecay } from './schedules/decay-schedules.js';
import { SGD } from './sgd.js';

beforeAll(() => ensureBackend());

// Expected values from keras/src/optimizers/optimizer_test.py unless noted.
describe('gradient clipping', () => {
  it('clipnorm rescales each gradient to norm 1', () => {
    const [g] = new SGD({ clipnorm: 1 }).clipGradients([tf.tensor1d([100, 100])]);
    expect(g).toBeAllclose([2 ** 0.5 / 2, 2 ** 0.5 / 2]);
  });
  it('clipvalue clips elementwise', () => {
    const [g] = new SGD({ clipvalue: 1 }).clipGradients([tf.tensor1d([100, 100])]);
    expect(g).toBeAllclose([1, 1]);
  });
  it('globalClipnorm divides by the global norm', () => {
    const [g] = new SGD({ globalClipnorm: 1 }).clipGradients([tf.tensor1d([50, 100])]);
    const n = Math.hypot(50, 100);
    expect(g).toBeAllclose([50 / n, 100 / n]);
  });
  it('rejects two clipping options, echoing them', () => {
    expect(() => new SGD({ clipnorm: 0.1, clipvalue: 0.1 })).toThrow(
      /Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm=0.1/,
    );
  });
});

describe('optimizer state', () => {
  it('counts iterations', () => {
    const v = tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]));
    const opt = new Adam({ learningRate: 1.0 });
    expect(opt.iterations).toBe(0);
    opt.applyGradients([[tf.ones([2, 2]), v]]);
    opt.applyGradients([[tf.ones([2, 2]), v]]);
    expect(opt.iterations).toBe(2);
  });

  it('lists variables in Keras order with Keras names', () => {
    const kernel = { value: tf.variable(tf.zeros([2, 3])), name: 'kernel', path: 'dense/kernel' };
    const bias = { value: tf.variable(tf.zeros([3])), name: 'bias', path: 'dense/bias' };
    const opt = new Adam({ name: 'adam' });
    expect(opt.variables.map((v) => v.path)).toEqual(['adam/iteration', 'adam/learning_rate']);
    opt.build([kernel, bias]);
    expect(opt.variables.map((v) => v.name)).toEqual([
      'iteration',
      'learning_rate',
      'dense_kernel_momentum',
      'dense_kernel_velocity',
      'dense_bias_momentum',
      'dense_bias_velocity',
    ]);
    expect(opt.variables[2]?.shape).toEqual([2, 3]);
    const nadam = new Nadam();
    nadam.build([kernel]);
    expect(nadam.variables).toHaveLength(5);
  });

  it('SGD single step leaves iterations 1 and lr 0.5 as its only variables', () => {
    const opt = new SGD({ learningRate: 0.5 });
    expect(opt.variables).toHaveLength(2);
    const v = tf.variable(tf.tensor1d([1, 2, 3, 4]));
    opt.build([v]);
    opt.applyGradients([[tf.tensor1d([1, 6, 7, 2]), v]]);
    expect(opt.variables).toHaveLength(2);
    expect(opt.variables[0]?.value).toBeAllclose(1);
    expect(opt.variables[1]?.value).toBeAllclose(0.5);
  });

  it('setWeights copies state between optimizers', () => {
    const x = tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]));
    const o1 = new Adam();
    o1.applyGradients([[tf.tensor2d([1, 2, 3, 4], [2, 2]), x]]);
    const o2 = new Adam();
    expect(() => o2.setWeights(o1.getWeights())).toThrow(/You are calling/);
    o2.build([x]);
    o2.setWeights(o1.getWeights());
    o1.variables.forEach((v, i) => {
      expect(o2.variables[i]?.value).toBeAllclose(v.value);
    });
  });

  it('skips null gradients with a warning and fails when none are given', () => {
    const v = tf.variable(tf.tensor2d([3, 4, 5, 6], [2, 2]));
    expect(() => new SGD({ learningRate: 1 }).applyGradients([[null, v]])).toThrow(
      'No gradients provided for any variable.',
    );
    const v2 = tf.variable(tf.tensor2d([3, 4, 5, 6], [2, 2]));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    new SGD({ learningRate: 1 }).applyGradients([
      [null, v],
      [tf.ones([2, 2]), v2],
    ]);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    expect(v).toBeAllclose([
      [3, 4],
      [5, 6],
    ]);
    expect(v2).toBeAllclose([
      [2, 3],
      [4, 5],
    ]);
  });

  it('applies a variable constraint after the update', () => {
    const v = {
      value: tf.variable(tf.tensor1d([-0.5, 0.3, -0.1])),
      name: 'w',
      constraint: (w: tf.Tensor) => tf.relu(w),
    };
    new SGD({ learningRate: 0.0001 }).applyGradients([[tf.zeros([3]), v]]);
    expect(v.value).toBeAllclose([0, 0.3, 0]);
  });

  it('keeps the EMA and overwrites every emaOverwriteFrequency steps', () => {
    const v = tf.variable(tf.tensor2d([3, 4, 5, 6], [2, 2]));
    const g = tf.ones([2, 2]);
    const opt = new SGD({
      learningRate: 1,
      useEma: true,
      emaMomentum: 0.9,
      emaOverwriteFrequency: 3,
    });
    opt.applyGradients([[g, v]]);
    expect(v).toBeAllclose([
      [2, 3],
      [4, 5],
    ]);
    const avg = () => opt.variables.find((x) => x.name.endsWith('_average'))?.value;
    expect(avg()).toBeAllclose([
      [2, 3],
      [4, 5],
    ]);
    opt.applyGradients([[g, v]]);
    expect(v).toBeAllclose([
      [1, 2],
      [3, 4],
    ]);
    expect(avg()).toBeAllclose([
      [1.9, 2.9],
      [3.9, 4.9],
    ]);
    opt.applyGradients([[g, v]]);
    expect(v).toBeAllclose([
      [1.71, 2.71],
      [3.71, 4.71],
    ]);
  });

  it('accumulates gradients over gradientAccumulationSteps', () => {
    const v = tf.variable(tf.tensor2d([1, 2, 3, 4], [2, 2]));
    const g = tf.ones([2, 2]);
    const opt = new SGD({ learningRate: 1, gradientAccumulationSteps: 3 });
    const acc = () => opt.variables.find((x) => x.name.endsWith('gradient_accumulator'))?.value;
    opt.applyGradients([[g, v]]);
    expect(v).toBeAllclose([
      [1, 2],
      [3, 4],
    ]);
    expect(acc()).toBeAllclose(tf.ones([2, 2]));
    expect(opt.iterations).toBe(0);
    opt.applyGradients([[g, v]]);
    expect(acc()).toBeAllclose(tf.fill([2, 2], 2));
    opt.applyGradients([[g, v]]);
    expect(v).toBeAllclose([
      [0, 1],
      [2, 3],
    ]);
    expect(acc()).toBeAllclose(tf.zeros([2, 2]));
    expect(opt.iterations).toBe(1);
    opt.applyGradients([[g, v]]);
    expect(v).toBeAllclose([
      [0, 1],
      [2, 3],
    ]);
    expect(opt.iterationsVariable.value).toBeAllclose(4);
  });

  it('rejects bad accumulation steps', () => {
    expect(() => new SGD({ gradientAccumulationSteps: 1 })).toThrow(
      /must be an integer >= 2. Received: gradient_accumulation_steps=1/,
    );
  });
});

describe('learning rate', () => {
  it('is settable (ReduceLROnPlateau) and drops its variable when replaced by a schedule', () => {
    const adam = new Adam({ learningRate: 0.001 });
    adam.learningRate = 0.5;
    expect(adam.learningRate).toBeCloseTo(0.5);
    expect(adam.lr).toBeCloseTo(0.5);
    expect(adam.variables).toHaveLength(2);
    adam.learningRate = new PolynomialDecay({ initialLearningRate: 0.001, decaySteps: 4 });
    expect(adam.variables).toHaveLength(1);
  });

  it('a schedule is read from the iteration counter and is not settable to a number', () => {
    const sched = new ExponentialDecay({
      initialLearningRate: 0.05,
      decaySteps: 1,
      decayRate: 0.9,
    });
    const opt = new SGD({ learningRate: sched });
    expect(opt.variables).toHaveLength(1);
    const v = tf.variable(tf.scalar(0));
    opt.applyGradients([[tf.scalar(1), v]]);
    opt.applyGradients([[tf.scalar(1), v]]);
    // Steps 0 and 1 use 0.05 and 0.045 (closed form 0.05 * 0.9^step).
    expect(v).toBeAllclose(-(0.05 + 0.045));
    expect(opt.learningRate).toBeCloseTo(0.05 * 0.81, 6);
    expect(() => {
      opt.learningRate = 0.1;
    }).toThrow(/not settable/);
  });
});

describe('config and registry', () => {
  it('getConfig has Keras 3 keys', () => {
    const cfg = new Adam({ learningRate: 0.5, name: 'my_adam', clipnorm: 1 }).getConfig();
    expect(Object.keys(cfg)).toEqual([
      'name',
      'learning_rate',
      'weight_decay',
      'clipnorm',
      'global_clipnorm',
      'clipvalue',
      'use_ema',
      'ema_momentum',
      'ema_overwrite_frequency',
      'loss_scale_factor',
      'gradient_accumulation_steps',
      'beta_1',
      'beta_2',
      'epsilon',
      'amsgrad',
    ]);
    expect(cfg.learning_rate).toBe(0.5);
    expect(cfg.clipnorm).toBe(1);
  });

  it('round-trips through serialize / deserialize, schedules included', () => {
    const sched = new ExponentialDecay({
      initialLearningRate: 0.05,
      decaySteps: 10,
      decayRate: 0.96,
    });
    const s = serialize(new SGD({ learningRate: sched, momentum: 0.9, nesterov: true }));
    expect(s.module).toBe('keras.optimizers');
    expect(s.class_name).toBe('SGD');
    const lr = s.config.learning_rate as { class_name: string; module: string };
    expect(lr.class_name).toBe('ExponentialDecay');
    expect(lr.module).toBe('keras.optimizers.schedules');
    const back = deserialize(JSON.parse(JSON.stringify(s)));
    expect(back).toBeInstanceOf(SGD);
    expect((back as SGD).momentum).toBe(0.9);
    expect(back.learningRateSchedule).toBeInstanceOf(ExponentialDecay);
  });

  it('fromConfig rebuilds the same class from its config', () => {
    const back = Adam.fromConfig(new Adam({ beta1: 0.8, amsgrad: true, name: 'a' }).getConfig());
    expect(back).toBeInstanceOf(Adam);
    expect(back.beta1).toBe(0.8);
    expect(back.amsgrad).toBe(true);
    expect(SGD.fromConfig({ lr: 0.3, momentum: 0.5 }).learningRate).toBeCloseTo(0.3);
  });

  it('get accepts names in any case, instances and null', () => {
    expect(get('sgd')).toBeInstanceOf(SGD);
    expect(get('Adam')).toBeInstanceOf(Adam);
    expect(get('adamw')?.constructor.name).toBe('AdamW');
    expect(get('rmsprop')?.constructor.name).toBe('RMSprop');
    const a = new Adam();
    expect(get(a)).toBe(a);
    expect(get(null)).toBeNull();
    expect(() => get('typo')).toThrow(/Could not interpret optimizer identifier/);
  });

  it('reads Keras 2 configs (lr, decay, epsilon null)', () => {
    const opt = deserialize({
      class_name: 'Adam',
      config: { lr: 0.01, beta_1: 0.9, beta_2: 0.999, decay: 0.0, epsilon: null, amsgrad: false },
    });
    expect(opt.learningRate).toBeCloseTo(0.01);
    expect((opt as Adam).epsilon).toBe(1e-7);
    // Keras 2 decay: lr / (1 + decay * iterations).
    const decayed = deserialize({ class_name: 'SGD', config: { lr: 0.1, decay: 0.5 } });
    const v = tf.variable(tf.scalar(0));
    decayed.applyGradients([[tf.scalar(1), v]]);
    decayed.applyGradients([[tf.scalar(1), v]]);
    expect(v).toBeAllclose(-(0.1 + 0.1 / 1.5));
  });
});
