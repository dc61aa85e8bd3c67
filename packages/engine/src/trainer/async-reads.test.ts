import { ensureBackend } from '@keras-ts/backend';
import { Dense, Input, LSTM } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LearningRateScheduler } from '../callbacks/learning-rate-scheduler.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { SGD } from '../optimizers/index.js';
import { Sequential } from '../sequential.js';

// The WebGPU backend in Node has no synchronous read (its dataSync needs a browser canvas): the
// training loop must read logs only through awaited downloads. Here every synchronous read
// throws, and the results must equal those of a run where synchronous reads work.
function forbidSyncReads() {
  const spies = (['dataSync', 'arraySync', 'bufferSync'] as const).map((name) =>
    vi.spyOn(tf.Tensor.prototype, name).mockImplementation(() => {
      throw new Error(`synchronous ${name} during training`);
    }),
  );
  return () => {
    for (const s of spies) s.mockRestore();
  };
}

/** A live bar (verbose 1 on a TTY) in a fit that is otherwise silent (verbose 0). */
class LiveBar extends ProgbarLogger {
  override setParams(params: Record<string, unknown>): void {
    super.setParams({ ...params, verbose: 1 });
  }
}

const tty = () => {
  const out: string[] = [];
  return { stream: { isTTY: true, write: (s: string) => out.push(s) }, out };
};

async function run(): Promise<{
  history: Record<string, number[]>;
  evaluated: unknown;
  onBatch: unknown;
  bar: string;
}> {
  const x = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 48)), [16, 3]));
  const y = tf.tidy(() => tf.oneHot(tf.cast(tf.mod(tf.range(0, 16), 2), 'int32'), 2));
  const model = new Sequential([
    Input({ shape: [3] }),
    new Dense({ units: 4, activation: 'tanh', kernelInitializer: 'ones' }),
    new Dense({ units: 2, activation: 'softmax', kernelInitializer: 'glorot_uniform' }),
  ]);
  // Same start for both runs: fixed weights.
  model.setWeights(
    model.weights.map((w, i) => tf.tidy(() => tf.mul(tf.ones(w.shape as number[]), 0.1 * (i + 1)))),
  );
  model.compile({
    optimizer: new SGD({ learningRate: 0.5 }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const { stream, out } = tty();
  const h = await model.fit(x, y, {
    batchSize: 4,
    epochs: 2,
    shuffle: false,
    verbose: 0,
    validationData: [x, y],
    callbacks: [new LiveBar({ stream, interval: 0 })],
  });
  const evaluated = await model.evaluate(x, y, { verbose: 0, returnDict: true });
  const onBatch = await model.trainOnBatch(x, y, { returnDict: true });
  tf.dispose([x, y]);
  return { history: h.history as Record<string, number[]>, evaluated, onBatch, bar: out.join('') };
}

describe('training without synchronous device reads', () => {
  let restore: (() => void) | null = null;
  beforeAll(async () => {
    await ensureBackend();
  });
  afterEach(() => {
    restore?.();
    restore = null;
  });

  it('fit (with a live progress bar and validation), evaluate and trainOnBatch', async () => {
    const expected = await run();
    restore = forbidSyncReads();
    const got = await run();
    restore();
    restore = null;
    expect(got.history).toEqual(expected.history);
    expect(got.evaluated).toEqual(expected.evaluated);
    expect(got.onBatch).toEqual(expected.onBatch);
    expect(Object.keys(got.history).sort()).toEqual([
      'accuracy',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    // The live bar drew its metrics from the awaited reads.
    expect(got.bar).toMatch(/loss: [0-9.]+ - accuracy: [0-9.]+/);
  });

  it('changes and logs the learning rate from callbacks (LearningRateScheduler)', async () => {
    const x = tf.ones([8, 3]);
    const y = tf.zeros([8, 1]);
    const model = new Sequential([Input({ shape: [3] }), new Dense({ units: 1 })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
    restore = forbidSyncReads();
    const h = await model.fit(x, y, {
      epochs: 3,
      verbose: 0,
      callbacks: [new LearningRateScheduler((_epoch: number, lr: number) => lr / 2)],
    });
    restore();
    restore = null;
    expect(h.history.learning_rate).toEqual([0.25, 0.125, 0.0625]);
    tf.dispose([x, y]);
  });

  it('builds an LSTM (Orthogonal recurrent initializer) without reading the device', () => {
    restore = forbidSyncReads();
    const model = new Sequential([Input({ shape: [5, 3] }), new LSTM({ units: 4 })]);
    expect(model.weights.map((w) => w.shape)).toEqual([[3, 16], [4, 16], [16]]);
  });
});
