import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupAndRestore } from './backup-and-restore.js';
import { type Callback, CallbackList, type CallbackModel, type Logs } from './callback.js';
import { CSVLogger } from './csv-logger.js';
import { EarlyStopping } from './early-stopping.js';
import { History } from './history.js';
import { LambdaCallback } from './lambda-callback.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';

beforeAll(() => ensureBackend());

const dir = mkdtempSync(join(tmpdir(), 'engine-cb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class FakeModel implements CallbackModel {
  stopTraining = false;
  name = 'fake';
  w = tf.variable(tf.scalar(0));
  optimizer = { learningRate: 0.1 };
  saved: string[] = [];
  getWeights() {
    return [tf.clone(this.w)];
  }
  setWeights(ws: tf.Tensor[]) {
    this.w.assign(ws[0] as tf.Scalar);
  }
  async save(path: string) {
    this.saved.push(path);
    writeFileSync(path, 'model');
  }
  async saveWeights(path: string) {
    this.saved.push(path);
    writeFileSync(path, String(this.w.dataSync()[0]));
  }
  async loadWeights(path: string) {
    this.w.assign(tf.scalar(Number(readFileSync(path, 'utf8'))));
  }
}

/** Drives callbacks through epochs with the given monitored values, like the fit loop. */
async function drive(cbs: Callback[], model: FakeModel, series: Logs[]): Promise<number> {
  const list = new CallbackList(cbs);
  list.setModel(model);
  list.setParams({ epochs: series.length, steps: 1, verbose: 0 });
  await list.onTrainBegin();
  let epochs = 0;
  for (let e = 0; e < series.length; e++) {
    await list.onEpochBegin(e);
    model.w.assign(tf.scalar(e));
    await list.onTrainBatchEnd(0, { ...series[e] });
    await list.onEpochEnd(e, { ...series[e] });
    epochs += 1;
    if (model.stopTraining) break;
  }
  await list.onTrainEnd();
  return epochs;
}

describe('History', () => {
  it('records each epoch value', async () => {
    const h = new History();
    await drive([h], new FakeModel(), [{ loss: 3 }, { loss: 2 }]);
    expect(h.history).toEqual({ loss: [3, 2] });
    expect(h.epoch).toEqual([0, 1]);
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = new FakeModel();
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const ran = await drive([es], model, [
      { val_loss: 5 },
      { val_loss: 3 },
      { val_loss: 4 },
      { val_loss: 3.5 },
      { val_loss: 1 },
    ]);
    expect(ran).toBe(4);
    expect(es.stoppedEpoch).toBe(3);
    expect(es.bestEpoch).toBe(1);
    expect(model.w.dataSync()[0]).toBe(1);
  });

  it('ignores epochs before startFromEpoch and maximises accuracy in auto mode', async () => {
    const es = new EarlyStopping({ monitor: 'val_accuracy', patience: 0, startFromEpoch: 2 });
    expect(es.mode).toBe('max');
    const ran = await drive([es], new FakeModel(), [
      { val_accuracy: 0.9 },
      { val_accuracy: 0.1 },
      { val_accuracy: 0.5 },
      { val_accuracy: 0.6 },
      { val_accuracy: 0.55 },
    ]);
    expect(ran).toBe(5);
    expect(es.bestEpoch).toBe(3);
  });
});

describe('ReduceLROnPlateau and LearningRateScheduler', () => {
  it('divides the rate after `patience` flat epochs, then cools down', async () => {
    const model = new FakeModel();
    const cb = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, cooldown: 2 });
    await drive([cb], model, [{ loss: 1 }, { loss: 1 }, { loss: 1 }, { loss: 1 }]);
    // Keras's order: epoch 1 reduces to 0.05 (cooldown 2); epoch 2 is still cooling down;
    // epoch 3 ends the cooldown and counts a flat epoch again -> 0.025.
    expect(model.optimizer.learningRate).toBeCloseTo(0.025, 10);
  });

  it('sets the rate from the schedule at each epoch begin', async () => {
    const model = new FakeModel();
    const seen: number[] = [];
    const cb = new LearningRateScheduler((epoch, lr) => {
      seen.push(lr);
      return 0.1 / (epoch + 1);
    });
    await drive([cb], model, [{ loss: 1 }, { loss: 1 }, { loss: 1 }]);
    expect(seen).toEqual([0.1, 0.1, 0.05]);
    expect(model.optimizer.learningRate).toBeCloseTo(0.1 / 3, 10);
  });
});

describe('CSVLogger, TerminateOnNaN, LambdaCallback', () => {
  it('writes a header of sorted keys and one row per epoch', async () => {
    const file = join(dir, 'log.csv');
    await drive([new CSVLogger(file)], new FakeModel(), [
      { loss: 2, acc: 0.5 },
      { loss: 1, acc: 0.75 },
    ]);
    expect(readFileSync(file, 'utf8')).toBe('epoch,acc,loss\n0,0.5,2\n1,0.75,1\n');
  });

  it('stops on a NaN loss', async () => {
    const ran = await drive([new TerminateOnNaN()], new FakeModel(), [
      { loss: 1 },
      { loss: Number.NaN },
      { loss: 1 },
    ]);
    expect(ran).toBe(2);
  });

  it('runs the given functions and rejects unknown hooks', async () => {
    const calls: string[] = [];
    const cb = new LambdaCallback({
      onEpochEnd: (e) => {
        calls.push(`end${e}`);
      },
      onBatchEnd: (b) => {
        calls.push(`batch${b}`);
      },
    });
    await drive([cb], new FakeModel(), [{ loss: 1 }]);
    expect(calls).toEqual(['batch0', 'end0']);
    expect(() => new LambdaCallback({ onFoo: () => {} } as never)).toThrow(/unknown hook.*onFoo/);
  });
});

describe('ModelCheckpoint and BackupAndRestore', () => {
  it('formats file names and saves only improvements with saveBestOnly', async () => {
    const model = new FakeModel();
    const cb = new ModelCheckpoint({
      filepath: join(dir, 'ckpt', 'w.{epoch:02d}-{val_loss:.2f}.weights.h5'),
      saveBestOnly: true,
      saveWeightsOnly: true,
    });
    await drive([cb], model, [{ val_loss: 2 }, { val_loss: 3 }, { val_loss: 1.234 }]);
    expect(model.saved.map((p) => p.split('/').at(-1))).toEqual([
      'w.01-2.00.weights.h5',
      'w.03-1.23.weights.h5',
    ]);
  });

  it('resumes from the backed-up epoch and weights', async () => {
    const backup = join(dir, 'backup');
    const model = new FakeModel();
    const cb = new BackupAndRestore(backup, { deleteCheckpoint: true });
    const list = new CallbackList([cb]);
    list.setModel(model);
    await list.onTrainBegin();
    model.w.assign(tf.scalar(7));
    await list.onEpochEnd(0);
    // Simulate a crash: no onTrainEnd, so the backup stays.
    const model2 = new FakeModel() as FakeModel & { initialEpochOverride?: number };
    const cb2 = new BackupAndRestore(backup);
    cb2.setModel(model2);
    await cb2.onTrainBegin();
    expect(model2.initialEpochOverride).toBe(1);
    expect(model2.w.dataSync()[0]).toBe(7);
    cb2.onTrainEnd();
    expect(existsSync(backup)).toBe(false);
  });
});

describe('CallbackList', () => {
  it('skips callbacks that do not override batch hooks', () => {
    const list = new CallbackList([new History()]);
    expect(list.hasBatchHooks('train')).toBe(false);
    list.append(new TerminateOnNaN());
    expect(list.hasBatchHooks('train')).toBe(true);
    expect(list.hasBatchHooks('test')).toBe(false);
  });
});
