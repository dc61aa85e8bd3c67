import { Callback, type Logs } from './callback.js';

/** keras.callbacks.History: `history[key]` lists each epoch's value; `epoch` the epoch indices. */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const key of Object.keys(logs)) {
      const value = logs[key] as number;
      let series = this.history[key];
      if (!series) {
        series = [];
        this.history[key] = series;
      }
      series.push(value);
    }
  }
}
