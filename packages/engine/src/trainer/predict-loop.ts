import * as tf from '@tensorflow/tfjs-core';
import { type Callback, CallbackList } from '../callbacks/callback.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { disposeOwned } from '../data-adapters/ownership.js';
import type { Model } from '../model.js';
import { makeAdapter } from './data-input.js';
import { verbosity } from './fit-loop.js';

export interface PredictOptions {
  batchSize?: number;
  verbose?: number | 'auto';
  steps?: number;
  callbacks?: Callback[];
  workers?: number;
  maxQueueSize?: number;
}

/** Concatenates per-batch outputs; string tensors are joined on the host (no string concat kernel everywhere). */
function concatBatches(parts: tf.Tensor[]): tf.Tensor {
  if (parts.length === 1) return parts[0] as tf.Tensor;
  const first = parts[0] as tf.Tensor;
  if (first.dtype === 'string') {
    const values: string[] = [];
    for (const p of parts) values.push(...(p.dataSync() as unknown as string[]));
    const rows = parts.reduce((n, p) => n + (p.shape[0] as number), 0);
    const shape = [rows, ...first.shape.slice(1)];
    const out = tf.tensor(values, shape, 'string');
    for (const p of parts) p.dispose();
    return out;
  }
  const out = tf.concat(parts, 0);
  for (const p of parts) p.dispose();
  return out;
}

/** keras Model.predict: batched inference, no compile needed. */
export async function predict(
  model: Model,
  x: unknown,
  opts: PredictOptions = {},
): Promise<tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>> {
  const verbose = verbosity(opts.verbose);
  const { adapter } = makeAdapter({
    x,
    batchSize: opts.batchSize ?? 32,
    shuffle: false,
    mode: 'predict',
    numInputs: model.graph ? model.inputNames.length : 1,
    workers: opts.workers,
    maxQueueSize: opts.maxQueueSize,
  });
  const cbs: Callback[] = [];
  if (verbose > 0) cbs.push(new ProgbarLogger());
  cbs.push(...(opts.callbacks ?? []));
  const callbacks = new CallbackList(cbs);
  callbacks.setModel(model);
  callbacks.setParams({ epochs: 1, steps: opts.steps ?? adapter.numBatches, verbose });
  const predictFn = model.makePredictFunction();
  const hooks = callbacks.hasBatchHooks('predict');
  const outputs: tf.Tensor[][] = [];
  try {
    await callbacks.onPredictBegin();
    let step = 0;
    for await (const batch of adapter.epochBatches({ epoch: 0, steps: opts.steps ?? null })) {
      if (hooks) await callbacks.onPredictBatchBegin(step);
      let outs: tf.Tensor[];
      try {
        outs = predictFn(batch.x);
        // An identity model returns its input: copy what the batch owns before freeing it.
        outs = outs.map((o) => (batch.owned.has(o) ? tf.clone(o) : o));
      } finally {
        disposeOwned(batch.owned);
      }
      outs.forEach((o, i) => {
        const list = outputs[i] ?? [];
        list.push(o);
        outputs[i] = list;
      });
      if (hooks) await callbacks.onPredictBatchEnd(step, {});
      step += 1;
    }
    await callbacks.onPredictEnd();
  } catch (e) {
    for (const list of outputs) for (const t of list) t.dispose();
    throw e;
  } finally {
    adapter.dispose();
  }
  if (outputs.length === 0) {
    throw new Error(
      'Unexpected result of `predict`: no batch was processed. Expected input data with at least one sample.',
    );
  }
  return model.structureOutputs(outputs.map(concatBatches));
}

/** keras Model.predict_on_batch: one forward pass in inference mode. */
export function predictOnBatchTensors(
  model: Model,
  x: Parameters<Model['forward']>[0],
): tf.Tensor[] {
  return model.makePredictFunction()(x);
}
