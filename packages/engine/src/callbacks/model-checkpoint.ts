import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatPath } from '../utils/format-path.js';
import { Callback, type Logs } from './callback.js';
import { type MonitorMode, monitorValue, resolveMode } from './monitor.js';

export interface ModelCheckpointOptions {
  filepath: string;
  monitor?: string;
  verbose?: number;
  saveBestOnly?: boolean;
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** 'epoch', or save every N batches. */
  saveFreq?: 'epoch' | number;
  initialValueThreshold?: number | null;
}

/**
 * keras.callbacks.ModelCheckpoint. Paths may hold `{epoch:02d}` (1-based, as Keras) and any
 * logged value (`{val_loss:.2f}`). Writes through `model.save` / `model.saveWeights`, so the
 * format is whatever the registered IO handler makes of the extension.
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  readonly mode: 'min' | 'max';
  best: number | null;
  private batchesSinceSave = 0;
  private currentEpoch = 0;

  constructor(opts: ModelCheckpointOptions) {
    super();
    if (!opts || typeof opts.filepath !== 'string' || opts.filepath === '') {
      throw new Error(
        `ModelCheckpoint expects a non-empty \`filepath\`. Received: filepath=${String(opts?.filepath)}`,
      );
    }
    this.filepath = opts.filepath;
    this.monitor = opts.monitor ?? 'val_loss';
    this.verbose = opts.verbose ?? 0;
    this.saveBestOnly = opts.saveBestOnly ?? false;
    this.saveWeightsOnly = opts.saveWeightsOnly ?? false;
    this.saveFreq = opts.saveFreq ?? 'epoch';
    this.mode = resolveMode(opts.mode ?? 'auto', this.monitor, 'ModelCheckpoint');
    this.best = opts.initialValueThreshold ?? null;
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(
        `Unrecognized save_freq: expected 'epoch' or a positive integer. Received: saveFreq=${String(opts.saveFreq)}`,
      );
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.saveModel(this.currentEpoch, batch, logs);
    }
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.saveModel(epoch, null, logs);
  }

  private improved(current: number): boolean {
    if (this.best === null) return true;
    return this.mode === 'min' ? current < this.best : current > this.best;
  }

  private async saveModel(epoch: number, batch: number | null, logs?: Logs): Promise<void> {
    const model = this.model;
    if (!model) return;
    const values: Record<string, number> = { epoch: epoch + 1 };
    if (batch !== null) values.batch = batch + 1;
    for (const key of Object.keys(logs ?? {})) values[key] = (logs as Logs)[key] as number;
    const path = formatPath(this.filepath, values);
    if (this.saveBestOnly) {
      const current = monitorValue(logs, this.monitor, 'ModelCheckpoint');
      if (current === null) return;
      if (!this.improved(current)) {
        if (this.verbose > 0) {
          console.log(
            `Epoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best ?? 'inf'}`,
          );
        }
        return;
      }
      if (this.verbose > 0) {
        console.log(
          `Epoch ${epoch + 1}: ${this.monitor} improved from ${this.best ?? 'inf'} to ${current}, saving model to ${path}`,
        );
      }
      this.best = current;
    } else if (this.verbose > 0) {
      console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    mkdirSync(dirname(path), { recursive: true });
    if (this.saveWeightsOnly) await model.saveWeights(path, { overwrite: true });
    else await model.save(path, { overwrite: true });
  }
}
