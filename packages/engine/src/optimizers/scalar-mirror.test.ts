import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SGD } from './sgd.js';

// WebGPU in Node has no synchronous read: the step counter and a constant learning rate are
// known on the host, and only an outside assign sends the next read to the device.
function forbidSyncReads() {
  return vi.spyOn(tf.Tensor.prototype, 'dataSync').mockImplementation(() => {
    throw new Error('synchronous read');
  });
}

describe('iterations and learningRate without device reads', () => {
  let spy: ReturnType<typeof forbidSyncReads> | null = null;
  beforeAll(() => ensureBackend());
  afterEach(() => {
    spy?.mockRestore();
    spy = null;
  });

  it('counts steps and follows the learning-rate setter on the host', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const opt = new SGD({ learningRate: 0.1 });
    spy = forbidSyncReads();
    for (let i = 0; i < 3; i++) opt.applyGradients([[tf.ones([2]), v]]);
    expect(opt.iterations).toBe(3);
    // float32, as the variable holds it (and as Keras reports it).
    expect(opt.learningRate).toBe(Math.fround(0.1));
    opt.learningRate = 0.25;
    expect(opt.learningRate).toBe(0.25);
    expect(opt.getConfig().learning_rate).toBe(0.25);
    spy.mockRestore();
    spy = null;
    // 3 SGD steps of gradient 1: 0.1 * 3 off each weight.
    expect(Array.from(v.dataSync())).toBeAllclose([0.7, 1.7]);
    v.dispose();
  });

  it('reads the device again after an outside assign (optimizer state loaded)', () => {
    const v = tf.variable(tf.tensor1d([1]));
    const opt = new SGD({ learningRate: 0.1 });
    opt.applyGradients([[tf.ones([1]), v]]);
    const [, lr] = opt.variables;
    opt.iterationsVariable.value.assign(tf.scalar(41, 'int32'));
    lr?.value.assign(tf.scalar(0.5));
    expect(opt.iterations).toBe(41);
    expect(opt.learningRate).toBe(0.5);
    // Then the host copies carry on from the values read.
    opt.applyGradients([[tf.ones([1]), v]]);
    spy = forbidSyncReads();
    expect(opt.iterations).toBe(42);
    expect(opt.learningRate).toBe(0.5);
    spy.mockRestore();
    spy = null;
    v.dispose();
  });
});
