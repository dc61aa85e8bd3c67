import { Callback, type Logs } from './callback.js';

/** keras.callbacks.TerminateOnNaN: stops training when a batch loss is NaN or infinite. */
export class TerminateOnNaN extends Callback {
  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Batch ${batch}: Invalid loss, terminating training`);
      if (this.model) this.model.stopTraining = true;
    }
  }
}
