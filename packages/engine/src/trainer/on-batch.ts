import type * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../model.js';
import { resolveLogs } from '../utils/lazy-logs.js';
import { toTensors } from './data-input.js';
import { formatResults } from './evaluate-loop.js';
import type { StepData } from './steps.js';
import { checkTrainableConsistency } from './train-function.js';

export interface OnBatchOptions {
  sampleWeight?: unknown;
  classWeight?: Record<number, number>;
  /** Reset metrics before the batch (Keras default), so results are this batch's alone. */
  resetMetrics?: boolean;
  returnDict?: boolean;
}

function batchData(
  model: Model,
  x: unknown,
  y: unknown,
  opts: OnBatchOptions,
  made: tf.Tensor[],
): StepData {
  const nIn = model.graph ? model.inputNames.length : 1;
  const nOut = model.outputNames.length;
  const xs = toTensors(x, 'x', made, nIn);
  if (xs === null) throw new Error(`Expected input data \`x\`. Received: x=${String(x)}`);
  return {
    x: xs,
    y: toTensors(y, 'y', made, nOut),
    sampleWeight: toTensors(opts.sampleWeight, 'sample_weight', made, nOut),
    classWeight: opts.classWeight ?? null,
  };
}

/**
 * keras Model.train_on_batch: one step; builds the train function on first use. Returns the
 * loss, or `[loss, ...]` with several values, or a dict.
 */
export async function trainOnBatch(
  model: Model,
  x: unknown,
  y: unknown,
  opts: OnBatchOptions = {},
): Promise<number | number[] | Record<string, number>> {
  model.requireCompiled();
  checkTrainableConsistency(model);
  const made: tf.Tensor[] = [];
  try {
    const data = batchData(model, x, y, opts, made);
    const fn = model.makeTrainFunction();
    if (opts.resetMetrics ?? true) model.resetMetrics();
    const logs = await resolveLogs(fn(data));
    return formatResults(model, logs, opts.returnDict ?? false);
  } finally {
    for (const t of made) t.dispose();
  }
}

/** keras Model.test_on_batch. */
export async function testOnBatch(
  model: Model,
  x: unknown,
  y: unknown,
  opts: OnBatchOptions = {},
): Promise<number | number[] | Record<string, number>> {
  model.requireCompiled();
  const made: tf.Tensor[] = [];
  try {
    const data = batchData(model, x, y, opts, made);
    const fn = model.makeTestFunction();
    if (opts.resetMetrics ?? true) model.resetMetrics();
    const logs = await resolveLogs(fn(data));
    return formatResults(model, logs, opts.returnDict ?? false);
  } finally {
    for (const t of made) t.dispose();
  }
}

/** keras Model.predict_on_batch: outputs shaped like the model's (no compile needed). */
export function predictOnBatch(
  model: Model,
  x: unknown,
): tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor> {
  const made: tf.Tensor[] = [];
  try {
    const xs = toTensors(x, 'x', made, model.graph ? model.inputNames.length : 1);
    if (xs === null) throw new Error(`Expected input data \`x\`. Received: x=${String(x)}`);
    const outs = model.makePredictFunction()(xs);
    // An identity model returns its (converted) input: keep those alive for the caller.
    for (const o of outs) {
      const i = made.indexOf(o);
      if (i >= 0) made.splice(i, 1);
    }
    return model.structureOutputs(outs);
  } finally {
    for (const t of made) t.dispose();
  }
}
