import { Callback, type Logs } from './callback.js';
import { getLearningRate, setLearningRate } from './monitor.js';

export type Schedule = (epoch: number, lr: number) => number;

/** keras.callbacks.LearningRateScheduler: sets the rate from `schedule(epoch, lr)` each epoch. */
export class LearningRateScheduler extends Callback {
  readonly schedule: Schedule;
  readonly verbose: number;

  constructor(schedule: Schedule, opts: { verbose?: number } = {}) {
    super();
    if (typeof schedule !== 'function') {
      throw new Error(
        `LearningRateScheduler expects a function (epoch, lr) => lr. Received: ${typeof schedule}`,
      );
    }
    this.schedule = schedule;
    this.verbose = opts.verbose ?? 0;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const lr = await getLearningRate(this.model, 'LearningRateScheduler');
    const next = this.schedule(epoch, lr);
    if (typeof next !== 'number' || !Number.isFinite(next)) {
      throw new Error(
        `The output of the "schedule" function should be a finite number. Received: ${String(next)}`,
      );
    }
    setLearningRate(this.model, next, 'LearningRateScheduler');
    if (this.verbose > 0) {
      console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
    }
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs) logs.learning_rate = await getLearningRate(this.model, 'LearningRateScheduler');
  }
}
