import type * as tf from '@tensorflow/tfjs-core';
import { type Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { ArrayDataAdapter } from '../data-adapters/array-adapter.js';
import { GeneratorDataAdapter } from '../data-adapters/generator-adapter.js';
import { disposeOwned } from '../data-adapters/ownership.js';
import type { DataAdapter } from '../data-adapters/types.js';
import type { Model } from '../model.js';
import { resolveLogs } from '../utils/lazy-logs.js';
import { isBatchSource, makeAdapter, toTensors } from './data-input.js';
import { runEvaluation } from './evaluate-loop.js';
import { checkTrainableConsistency, isCustomLogs, metricLogs } from './train-function.js';

export interface FitOptions {
  batchSize?: number;
  epochs?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch ('auto' = 1). */
  verbose?: number | 'auto';
  callbacks?: Callback[];
  validationSplit?: number;
  /** `[x, y]`, `[x, y, sampleWeight]`, or a generator / Sequence of validation batches. */
  validationData?: unknown;
  shuffle?: boolean | 'batch';
  classWeight?: Record<number, number>;
  sampleWeight?: unknown;
  initialEpoch?: number;
  stepsPerEpoch?: number;
  validationSteps?: number;
  validationBatchSize?: number;
  /** Validate every N epochs, or at the listed (1-based) epochs. */
  validationFreq?: number | number[];
  workers?: number;
  maxQueueSize?: number;
  /** Keras 2 name, accepted for compatibility. */
  useMultiprocessing?: boolean;
}

export function verbosity(v: number | 'auto' | undefined, dflt = 1): number {
  if (v === undefined || v === 'auto') return dflt;
  if (![0, 1, 2].includes(v)) {
    throw new Error(`verbose must be 0, 1, 2 or 'auto'. Received: verbose=${String(v)}`);
  }
  return v;
}

function positiveInt(v: number | undefined, name: string): void {
  if (v !== undefined && v !== null && !(Number.isInteger(v) && v > 0)) {
    throw new Error(`Expected \`${name}\` to be a positive integer. Received: ${name}=${v}`);
  }
}

function shouldValidate(epoch: number, freq: number | number[] | undefined): boolean {
  if (freq === undefined) return true;
  if (Array.isArray(freq)) return freq.includes(epoch + 1);
  return (epoch + 1) % freq === 0;
}

/** Builds the validation source from `validationData` or the validationSplit tail. */
function validationAdapter(
  model: Model,
  opts: FitOptions,
  tail: ReturnType<typeof makeAdapter>['validation'],
  made: tf.Tensor[],
): DataAdapter | null {
  const batchSize = opts.validationBatchSize ?? opts.batchSize ?? 32;
  if (tail) {
    return new ArrayDataAdapter({ ...tail, batchSize, shuffle: false });
  }
  const vd = opts.validationData;
  if (vd === undefined || vd === null) return null;
  if (Array.isArray(vd) && !isBatchSource(vd, undefined) && vd.length >= 2 && vd.length <= 3) {
    const nIn = model.inputNames.length;
    const nOut = model.outputNames.length;
    const x = toTensors(vd[0], 'validation x', made, nIn);
    const y = toTensors(vd[1], 'validation y', made, nOut);
    const sw = toTensors(vd[2], 'validation sample_weight', made, nOut);
    return new ArrayDataAdapter({
      x: x as NonNullable<typeof x>,
      y,
      sampleWeight: sw,
      batchSize,
      shuffle: false,
    });
  }
  return makeAdapter({ x: vd, mode: 'train', numInputs: model.inputNames.length }).adapter;
}

/** keras Model.fit: epochs of train steps, validation, callbacks; returns the History. */
export async function fit(
  model: Model,
  x: unknown,
  y: unknown,
  opts: FitOptions = {},
): Promise<History> {
  model.requireCompiled();
  checkTrainableConsistency(model);
  const epochs = opts.epochs ?? 1;
  if (!(Number.isInteger(epochs) && epochs >= 0)) {
    throw new Error(`Expected \`epochs\` to be a non-negative integer. Received: epochs=${epochs}`);
  }
  positiveInt(opts.batchSize, 'batchSize');
  positiveInt(opts.stepsPerEpoch, 'stepsPerEpoch');
  positiveInt(opts.validationSteps, 'validationSteps');
  const verbose = verbosity(opts.verbose);
  const { adapter, validation } = makeAdapter({
    x,
    y,
    sampleWeight: opts.sampleWeight,
    batchSize: opts.batchSize ?? 32,
    shuffle: opts.shuffle ?? true,
    mode: 'train',
    numInputs: model.inputNames.length,
    numOutputs: model.outputNames.length,
    workers: opts.workers,
    maxQueueSize: opts.maxQueueSize,
    validationSplit: opts.validationSplit,
  });
  const valMade: tf.Tensor[] = [];
  let valAdapter: DataAdapter | null = null;
  try {
    valAdapter = validationAdapter(model, opts, validation, valMade);
  } catch (e) {
    adapter.dispose();
    throw e;
  }
  const steps = opts.stepsPerEpoch ?? adapter.numBatches;
  const history = new History();
  const cbs: Callback[] = [];
  if (verbose > 0) cbs.push(new ProgbarLogger());
  cbs.push(...(opts.callbacks ?? []), history);
  const callbacks = new CallbackList(cbs);
  callbacks.setModel(model);
  callbacks.setParams({ epochs, steps, verbose });
  model.history = history;
  model.stopTraining = false;
  const trainFn = model.makeTrainFunction();
  const batchHooks = callbacks.hasBatchHooks('train');
  const classWeight = opts.classWeight ?? null;
  let epochLogs: Logs = {};
  try {
    await callbacks.onTrainBegin();
    const initialEpoch = model.initialEpochOverride ?? opts.initialEpoch ?? 0;
    model.initialEpochOverride = null;
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      model.resetMetrics();
      await callbacks.onEpochBegin(epoch);
      let step = 0;
      let lastLogs: Logs | undefined;
      for await (const batch of adapter.epochBatches({
        epoch,
        steps: opts.stepsPerEpoch ?? null,
      })) {
        let logs: Logs;
        try {
          if (batchHooks) await callbacks.onTrainBatchBegin(step);
          logs = trainFn({ x: batch.x, y: batch.y, sampleWeight: batch.sampleWeight, classWeight });
        } finally {
          disposeOwned(batch.owned);
        }
        lastLogs = logs;
        if (batchHooks) await callbacks.onTrainBatchEnd(step, logs);
        step += 1;
        if (model.stopTraining) break;
      }
      const ranDry = adapter instanceof GeneratorDataAdapter && adapter.exhausted;
      if (step === 0 || ranDry) {
        console.warn(
          'Your input ran out of data; interrupting training. Make sure that your dataset or ' +
            'generator can generate at least `stepsPerEpoch * epochs` batches.',
        );
        if (step === 0) break;
        model.stopTraining = true;
      }
      // Epoch values are synced once here, before validation reuses the metric objects.
      // A custom trainStep's own logs are the epoch's logs (Keras 3), else the metrics' results.
      epochLogs = await resolveLogs(isCustomLogs(lastLogs) ? lastLogs : metricLogs(model));
      if (Number.isNaN(epochLogs.loss)) {
        console.warn(
          `Epoch ${epoch + 1}: the loss is NaN. Check the data for NaN/Inf values, lower the ` +
            'learning rate, or guard log(0) in a custom loss; TerminateOnNaN stops at the first NaN batch.',
        );
      }
      if (valAdapter && shouldValidate(epoch, opts.validationFreq)) {
        const valLogs = await runEvaluation(model, valAdapter, {
          steps: opts.validationSteps ?? null,
          callbacks: null,
        });
        for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
      }
      await callbacks.onEpochEnd(epoch, epochLogs);
      await adapter.onEpochEnd();
      if (model.stopTraining) break;
    }
    await callbacks.onTrainEnd(epochLogs);
  } finally {
    adapter.dispose();
    valAdapter?.dispose();
    for (const t of valMade) t.dispose();
  }
  return history;
}
