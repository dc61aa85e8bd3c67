import { Callback, type Logs } from './callback.js';

export type EpochFn = (epoch: number, logs?: Logs) => void | Promise<void>;
export type BatchFn = (batch: number, logs?: Logs) => void | Promise<void>;
export type LogsFn = (logs?: Logs) => void | Promise<void>;

export interface LambdaCallbackOptions {
  onEpochBegin?: EpochFn;
  onEpochEnd?: EpochFn;
  onBatchBegin?: BatchFn;
  onBatchEnd?: BatchFn;
  onTrainBegin?: LogsFn;
  onTrainEnd?: LogsFn;
  onTestBegin?: LogsFn;
  onTestEnd?: LogsFn;
  onTestBatchBegin?: BatchFn;
  onTestBatchEnd?: BatchFn;
  onPredictBegin?: LogsFn;
  onPredictEnd?: LogsFn;
  onPredictBatchBegin?: BatchFn;
  onPredictBatchEnd?: BatchFn;
}

/**
 * keras.callbacks.LambdaCallback: callbacks from plain functions. Only the hooks given are
 * installed, so an unused batch hook costs nothing per step.
 */
export class LambdaCallback extends Callback {
  constructor(fns: LambdaCallbackOptions = {}) {
    super();
    const self = this as unknown as Record<string, unknown>;
    for (const [key, fn] of Object.entries(fns)) {
      if (fn === undefined) continue;
      if (typeof fn !== 'function' || !(key in Callback.prototype)) {
        throw new Error(
          `LambdaCallback: unknown hook or not a function. Received: ${key}=${typeof fn}`,
        );
      }
      self[key] = fn;
    }
  }
}
