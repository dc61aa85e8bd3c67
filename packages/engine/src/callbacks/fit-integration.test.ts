import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import { Dense } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SGD } from '../optimizers/index.js';
import { Sequential } from '../sequential.js';
import { EarlyStopping } from './early-stopping.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { TensorBoard } from './tensorboard.js';

beforeAll(() => ensureBackend());
afterEach(() => vi.restoreAllMocks());

function model(): Sequential {
  const m = new Sequential([new Dense({ units: 1, kernelInitializer: 'zeros', inputShape: [2] })]);
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
  return m;
}

const x = () =>
  tf.tensor2d([
    [1, 0],
    [0, 1],
    [1, 1],
    [2, 1],
  ]);
const y = () => tf.tensor2d([[1], [2], [3], [4]]);

describe('callbacks inside fit', () => {
  it('prints one line per epoch when stdout is not a TTY (verbose 1) and nothing at verbose 0', async () => {
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const wasTTY = process.stdout.isTTY;
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    try {
      await model().fit(x(), y(), { epochs: 2, batchSize: 2, verbose: 1 });
      await model().fit(x(), y(), { epochs: 2, batchSize: 2, verbose: 0 });
    } finally {
      Object.defineProperty(process.stdout, 'isTTY', { value: wasTTY, configurable: true });
      write.mockRestore();
    }
    expect(out[0]).toBe('Epoch 1/2\n');
    expect(out[1]).toMatch(/^2\/2 - \d+s - \d+m?s\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}\n$/);
    expect(out[2]).toBe('Epoch 2/2\n');
    expect(out).toHaveLength(4);
  });

  it('stops early on a monitored plateau and lowers the learning rate', async () => {
    const m = model();
    const es = new EarlyStopping({ monitor: 'loss', patience: 1, minDelta: 1e9 });
    const lr = new ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 1e9 });
    const h = await m.fit(x(), y(), { epochs: 10, verbose: 0, callbacks: [lr, es] });
    expect(h.epoch).toEqual([0, 1]);
    expect(m.optimizer?.learningRate).toBeCloseTo(0.05, 6);
    expect(h.history.learning_rate).toBeAllclose([0.1, 0.1]);
  });

  it('writes train and validation event files with epoch scalars', async () => {
    const dir = join(tmpdir(), `tb-fit-${process.pid}-${Date.now()}`);
    try {
      await model().fit(x(), y(), {
        epochs: 2,
        verbose: 0,
        validationData: [x(), y()],
        callbacks: [new TensorBoard({ logDir: dir, histogramFreq: 1 })],
      });
      const train = readdirSync(join(dir, 'train'));
      const val = readdirSync(join(dir, 'validation'));
      expect(train).toHaveLength(1);
      expect(val).toHaveLength(1);
      const bytes = readFileSync(join(dir, 'train', train[0] as string)).toString('latin1');
      expect(bytes).toContain('epoch_loss');
      expect(bytes).toContain('epoch_mae');
      expect(bytes).toContain('/histogram');
      const vbytes = readFileSync(join(dir, 'validation', val[0] as string)).toString('latin1');
      expect(vbytes).toContain('epoch_loss');
      expect(vbytes).not.toContain('val_');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
