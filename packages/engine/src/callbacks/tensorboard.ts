import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { EventFileWriter, histogramOf } from '../tensorboard/event-file-writer.js';
import { Callback, type Logs } from './callback.js';

export interface TensorBoardOptions {
  logDir?: string;
  /** Write weight histograms every N epochs (0: never). */
  histogramFreq?: number;
  /** 'epoch', 'batch' or every N batches: how often batch-level scalars are written. */
  updateFreq?: 'epoch' | 'batch' | number;
}

interface WeightLike {
  path?: string;
  name?: string;
  read?: () => tf.Tensor;
}

/**
 * keras.callbacks.TensorBoard: scalar summaries per epoch (`epoch_loss`, ... in `train/`, the
 * validation values without their `val_` prefix in `validation/`), optional batch scalars and
 * weight histograms, in event files TensorBoard reads.
 */
export class TensorBoard extends Callback {
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly updateFreq: 'epoch' | number;
  private trainWriter: EventFileWriter | null = null;
  private valWriter: EventFileWriter | null = null;
  private globalStep = 0;

  constructor(opts: TensorBoardOptions = {}) {
    super();
    this.logDir = opts.logDir ?? 'logs';
    this.histogramFreq = opts.histogramFreq ?? 0;
    const freq = opts.updateFreq ?? 'epoch';
    this.updateFreq = freq === 'batch' ? 1 : freq;
    if (
      this.updateFreq !== 'epoch' &&
      !(Number.isInteger(this.updateFreq) && this.updateFreq > 0)
    ) {
      throw new Error(
        `TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer. Received: updateFreq=${String(freq)}`,
      );
    }
  }

  private get train(): EventFileWriter {
    this.trainWriter ??= new EventFileWriter(join(this.logDir, 'train'));
    return this.trainWriter;
  }

  private get validation(): EventFileWriter {
    this.valWriter ??= new EventFileWriter(join(this.logDir, 'validation'));
    return this.valWriter;
  }

  override onTrainBegin(): void {
    this.globalStep = 0;
    void this.train;
  }

  override onTrainBatchEnd(_batch: number, logs?: Logs): void {
    this.globalStep += 1;
    if (this.updateFreq === 'epoch' || this.globalStep % this.updateFreq !== 0) return;
    const scalars: Record<string, number> = {};
    for (const key of Object.keys(logs ?? {}))
      scalars[`batch_${key}`] = (logs as Logs)[key] as number;
    this.train.addScalars(this.globalStep, scalars);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const train: Record<string, number> = {};
    const val: Record<string, number> = {};
    for (const key of Object.keys(logs)) {
      const v = logs[key] as number;
      if (key.startsWith('val_')) val[`epoch_${key.slice(4)}`] = v;
      else train[`epoch_${key}`] = v;
    }
    if (Object.keys(train).length > 0) this.train.addScalars(epoch, train);
    if (Object.keys(val).length > 0) this.validation.addScalars(epoch, val);
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0)
      await this.writeHistograms(epoch);
  }

  /** Awaited reads: a callback runs on every backend, and WebGPU in Node has no synchronous one. */
  private async writeHistograms(epoch: number): Promise<void> {
    const weights = (this.model as unknown as { weights?: WeightLike[] } | null)?.weights ?? [];
    const histograms: Record<string, ReturnType<typeof histogramOf>> = {};
    for (const w of weights) {
      if (!w.read) continue;
      const name = (w.path ?? w.name ?? 'weight').replaceAll(':', '_');
      histograms[`${name}/histogram`] = histogramOf((await w.read().data()) as Float32Array);
    }
    if (Object.keys(histograms).length > 0) this.train.addHistograms(epoch, histograms);
  }

  override onTrainEnd(): void {
    this.trainWriter = null;
    this.valWriter = null;
  }
}
