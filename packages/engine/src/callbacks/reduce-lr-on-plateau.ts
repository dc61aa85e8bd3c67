import { Callback, type Logs } from './callback.js';
import {
  getLearningRate,
  type MonitorMode,
  monitorValue,
  resolveMode,
  setLearningRate,
} from './monitor.js';

export interface ReduceLROnPlateauOptions {
  monitor?: string;
  factor?: number;
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  minDelta?: number;
  cooldown?: number;
  minLr?: number;
}

/** keras.callbacks.ReduceLROnPlateau: multiplies the learning rate by `factor` on a plateau. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best = 0;

  constructor(opts: ReduceLROnPlateauOptions = {}) {
    super();
    this.monitor = opts.monitor ?? 'val_loss';
    this.factor = opts.factor ?? 0.1;
    if (this.factor >= 1) {
      throw new Error(
        `ReduceLROnPlateau does not support a factor >= 1.0. Received: factor=${this.factor}`,
      );
    }
    this.patience = opts.patience ?? 10;
    this.verbose = opts.verbose ?? 0;
    this.mode = resolveMode(opts.mode ?? 'auto', this.monitor, 'ReduceLROnPlateau');
    this.minDelta = opts.minDelta ?? 1e-4;
    this.cooldown = opts.cooldown ?? 0;
    this.minLr = opts.minLr ?? 0;
    this.reset();
  }

  private reset(): void {
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private better(current: number): boolean {
    return this.mode === 'min'
      ? current < this.best - this.minDelta
      : current > this.best + this.minDelta;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const lr = await getLearningRate(this.model, 'ReduceLROnPlateau');
    if (logs) logs.learning_rate = lr;
    const current = monitorValue(logs, this.monitor, 'Learning rate reduction');
    if (current === null) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.better(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience && lr > this.minLr) {
        const next = Math.max(lr * this.factor, this.minLr);
        setLearningRate(this.model, next, 'ReduceLROnPlateau');
        if (this.verbose > 0) {
          console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        }
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
