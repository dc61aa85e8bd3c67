import type { Tensor } from '@tensorflow/tfjs-core';
import { Callback, type Logs } from './callback.js';
import {
  disposeAll,
  type MonitorMode,
  monitorValue,
  resolveMode,
  snapshotWeights,
} from './monitor.js';

export interface EarlyStoppingOptions {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  baseline?: number | null;
  restoreBestWeights?: boolean;
  startFromEpoch?: number;
}

/** keras.callbacks.EarlyStopping (Keras 3 semantics, including `startFromEpoch`). */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly verbose: number;
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly mode: 'min' | 'max';
  private readonly minDelta: number;
  wait = 0;
  stoppedEpoch = 0;
  best: number | null = null;
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(opts: EarlyStoppingOptions = {}) {
    super();
    this.monitor = opts.monitor ?? 'val_loss';
    this.patience = opts.patience ?? 0;
    this.verbose = opts.verbose ?? 0;
    this.baseline = opts.baseline ?? null;
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    this.startFromEpoch = opts.startFromEpoch ?? 0;
    this.mode = resolveMode(opts.mode ?? 'auto', this.monitor, 'EarlyStopping');
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new Error(
        `EarlyStopping: patience must be a non-negative integer. Received: patience=${opts.patience}`,
      );
    }
  }

  private isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.mode === 'min'
      ? value + this.minDelta < reference
      : value - this.minDelta > reference;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    disposeAll(this.bestWeights);
    this.bestWeights = null;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const current = monitorValue(logs, this.monitor, 'Early stopping');
    if (current === null || epoch < this.startFromEpoch) return;
    const model = this.model;
    if (this.restoreBestWeights && this.bestWeights === null && model) {
      this.bestWeights = snapshotWeights(model);
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights && model) {
        disposeAll(this.bestWeights);
        this.bestWeights = snapshotWeights(model);
      }
      if (this.baseline === null || this.isImprovement(current, this.baseline)) {
        this.wait = 0;
        return;
      }
    }
    if (this.wait >= this.patience && epoch > 0 && model) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    }
    if (this.restoreBestWeights && this.bestWeights && this.model) {
      if (this.verbose > 0) {
        console.log(
          `Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`,
        );
      }
      this.model.setWeights(this.bestWeights);
    }
    disposeAll(this.bestWeights);
    this.bestWeights = null;
  }
}
