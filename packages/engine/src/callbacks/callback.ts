/**
 * Logs handed to callbacks. Values are plain numbers when read; the fit loop fills them with
 * lazy getters, so a metric is synced from the device only when something reads it.
 */
export type Logs = Record<string, number>;

/** What a callback may ask of the model it is attached to (structural, to avoid a cycle). */
export interface CallbackModel {
  stopTraining: boolean;
  name: string;
  optimizer?: unknown;
  getWeights(): import('@tensorflow/tfjs-core').Tensor[];
  setWeights(weights: import('@tensorflow/tfjs-core').Tensor[]): void;
  save(path: string, options?: Record<string, unknown>): Promise<void>;
  saveWeights(path: string, options?: Record<string, unknown>): Promise<void>;
  loadWeights(path: string, options?: Record<string, unknown>): Promise<void>;
}

/** `params` as Keras sets them: epochs, steps per epoch (null when unknown) and verbosity. */
export interface CallbackParams {
  epochs?: number;
  steps?: number | null;
  verbose?: number;
  [k: string]: unknown;
}

export type Hook = void | Promise<void>;

/**
 * keras.callbacks.Callback. Every hook may return a promise; the loops await it. The Keras 2
 * names `onBatchBegin` / `onBatchEnd` are the training batch hooks.
 */
export class Callback {
  model: CallbackModel | null = null;
  params: CallbackParams = {};

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  onTrainBegin(_logs?: Logs): Hook {}
  onTrainEnd(_logs?: Logs): Hook {}
  onEpochBegin(_epoch: number, _logs?: Logs): Hook {}
  onEpochEnd(_epoch: number, _logs?: Logs): Hook {}
  onBatchBegin(_batch: number, _logs?: Logs): Hook {}
  onBatchEnd(_batch: number, _logs?: Logs): Hook {}
  onTrainBatchBegin(batch: number, logs?: Logs): Hook {
    return this.onBatchBegin(batch, logs);
  }
  onTrainBatchEnd(batch: number, logs?: Logs): Hook {
    return this.onBatchEnd(batch, logs);
  }
  onTestBegin(_logs?: Logs): Hook {}
  onTestEnd(_logs?: Logs): Hook {}
  onTestBatchBegin(_batch: number, _logs?: Logs): Hook {}
  onTestBatchEnd(_batch: number, _logs?: Logs): Hook {}
  onPredictBegin(_logs?: Logs): Hook {}
  onPredictEnd(_logs?: Logs): Hook {}
  onPredictBatchBegin(_batch: number, _logs?: Logs): Hook {}
  onPredictBatchEnd(_batch: number, _logs?: Logs): Hook {}
}

/** Callbacks that only override hooks they need can be skipped per batch (the hot path). */
function overrides(cb: Callback, hook: keyof Callback): boolean {
  return (cb as unknown as Record<string, unknown>)[hook] !== Callback.prototype[hook];
}

const BATCH_HOOKS = [
  'onTrainBatchBegin',
  'onTrainBatchEnd',
  'onBatchBegin',
  'onBatchEnd',
  'onTestBatchBegin',
  'onTestBatchEnd',
  'onPredictBatchBegin',
  'onPredictBatchEnd',
] as const;

/** keras.callbacks.CallbackList: fans every hook out, in order, awaiting each one. */
export class CallbackList {
  readonly callbacks: Callback[];
  private readonly batchHooks = new Map<string, Callback[]>();

  constructor(callbacks: Callback[] = []) {
    this.callbacks = [...callbacks];
    this.indexHooks();
  }

  append(cb: Callback): void {
    this.callbacks.push(cb);
    this.indexHooks();
  }

  private indexHooks(): void {
    for (const hook of BATCH_HOOKS) {
      this.batchHooks.set(
        hook,
        this.callbacks.filter((cb) => {
          if (hook === 'onTrainBatchBegin')
            return overrides(cb, hook) || overrides(cb, 'onBatchBegin');
          if (hook === 'onTrainBatchEnd') return overrides(cb, hook) || overrides(cb, 'onBatchEnd');
          return overrides(cb, hook);
        }),
      );
    }
  }

  /** Whether any callback wants per-batch train hooks (the loop then builds batch logs). */
  hasBatchHooks(kind: 'train' | 'test' | 'predict'): boolean {
    const [b, e] =
      kind === 'train'
        ? ['onTrainBatchBegin', 'onTrainBatchEnd']
        : kind === 'test'
          ? ['onTestBatchBegin', 'onTestBatchEnd']
          : ['onPredictBatchBegin', 'onPredictBatchEnd'];
    return (
      (this.batchHooks.get(b as string)?.length ?? 0) > 0 ||
      (this.batchHooks.get(e as string)?.length ?? 0) > 0
    );
  }

  setModel(model: CallbackModel): void {
    for (const cb of this.callbacks) cb.setModel(model);
  }

  setParams(params: CallbackParams): void {
    for (const cb of this.callbacks) cb.setParams(params);
  }

  private async all(fn: (cb: Callback) => Hook, only?: Callback[]): Promise<void> {
    for (const cb of only ?? this.callbacks) {
      const r = fn(cb);
      if (r) await r;
    }
  }

  onTrainBegin(logs?: Logs) {
    return this.all((cb) => cb.onTrainBegin(logs));
  }
  onTrainEnd(logs?: Logs) {
    return this.all((cb) => cb.onTrainEnd(logs));
  }
  onEpochBegin(epoch: number, logs?: Logs) {
    return this.all((cb) => cb.onEpochBegin(epoch, logs));
  }
  onEpochEnd(epoch: number, logs?: Logs) {
    return this.all((cb) => cb.onEpochEnd(epoch, logs));
  }
  onTrainBatchBegin(batch: number, logs?: Logs) {
    return this.all(
      (cb) => cb.onTrainBatchBegin(batch, logs),
      this.batchHooks.get('onTrainBatchBegin'),
    );
  }
  onTrainBatchEnd(batch: number, logs?: Logs) {
    return this.all(
      (cb) => cb.onTrainBatchEnd(batch, logs),
      this.batchHooks.get('onTrainBatchEnd'),
    );
  }
  onTestBegin(logs?: Logs) {
    return this.all((cb) => cb.onTestBegin(logs));
  }
  onTestEnd(logs?: Logs) {
    return this.all((cb) => cb.onTestEnd(logs));
  }
  onTestBatchBegin(batch: number, logs?: Logs) {
    return this.all(
      (cb) => cb.onTestBatchBegin(batch, logs),
      this.batchHooks.get('onTestBatchBegin'),
    );
  }
  onTestBatchEnd(batch: number, logs?: Logs) {
    return this.all((cb) => cb.onTestBatchEnd(batch, logs), this.batchHooks.get('onTestBatchEnd'));
  }
  onPredictBegin(logs?: Logs) {
    return this.all((cb) => cb.onPredictBegin(logs));
  }
  onPredictEnd(logs?: Logs) {
    return this.all((cb) => cb.onPredictEnd(logs));
  }
  onPredictBatchBegin(batch: number, logs?: Logs) {
    return this.all(
      (cb) => cb.onPredictBatchBegin(batch, logs),
      this.batchHooks.get('onPredictBatchBegin'),
    );
  }
  onPredictBatchEnd(batch: number, logs?: Logs) {
    return this.all(
      (cb) => cb.onPredictBatchEnd(batch, logs),
      this.batchHooks.get('onPredictBatchEnd'),
    );
  }
}
