import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lazyLogs, resolveLogs } from './lazy-logs.js';

describe('lazyLogs / resolveLogs', () => {
  beforeAll(() => ensureBackend());

  it('reads every pending value once, numbers and tensors (a vector gives its first entry)', async () => {
    const before = tf.memory().numTensors;
    let reads = 0;
    const counted =
      <T>(make: () => T) =>
      () => {
        reads += 1;
        return make();
      };
    const logs = lazyLogs([
      ['loss', counted(() => tf.scalar(0.25))],
      ['acc', counted(() => 0.5)],
      ['f1', counted(() => tf.tensor1d([0.75, 0.1]))],
      ['mae', counted(() => tf.scalar(3, 'int32'))],
    ]);
    expect(logs.acc).toBe(0.5); // a synchronous read of one value
    expect(await resolveLogs(logs)).toEqual({ loss: 0.25, acc: 0.5, f1: 0.75, mae: 3 });
    expect(await resolveLogs(logs)).toEqual({ loss: 0.25, acc: 0.5, f1: 0.75, mae: 3 });
    expect(reads).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps values set by callbacks and plain objects as they are', async () => {
    const logs = lazyLogs([['loss', () => tf.scalar(1)]]);
    logs.loss = 7;
    logs.learning_rate = 0.1;
    expect(await resolveLogs(logs)).toEqual({ loss: 7, learning_rate: 0.1 });
    expect(await resolveLogs({ a: 1 })).toEqual({ a: 1 });
    expect(await resolveLogs(undefined)).toEqual({});
  });
});
