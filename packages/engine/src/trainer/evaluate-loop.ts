import { type Callback, CallbackList } from '../callbacks/callback.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { disposeOwned } from '../data-adapters/ownership.js';
import type { DataAdapter } from '../data-adapters/types.js';
import type { Model } from '../model.js';
import { resolveLogs } from '../utils/lazy-logs.js';
import { makeAdapter } from './data-input.js';
import { verbosity } from './fit-loop.js';
import { metricLogs } from './train-function.js';

export interface EvaluateOptions {
  batchSize?: number;
  verbose?: number | 'auto';
  sampleWeight?: unknown;
  steps?: number;
  callbacks?: Callback[];
  returnDict?: boolean;
  workers?: number;
  maxQueueSize?: number;
}

/** Runs test steps over an adapter; returns the resolved logs (metrics reset first). */
export async function runEvaluation(
  model: Model,
  adapter: DataAdapter,
  opts: { steps: number | null; callbacks: CallbackList | null },
): Promise<Record<string, number>> {
  const testFn = model.makeTestFunction();
  model.resetMetrics();
  const callbacks = opts.callbacks;
  const hooks = callbacks?.hasBatchHooks('test') ?? false;
  await callbacks?.onTestBegin();
  let step = 0;
  for await (const batch of adapter.epochBatches({ epoch: 0, steps: opts.steps })) {
    if (hooks) await callbacks?.onTestBatchBegin(step);
    let logs: ReturnType<typeof testFn>;
    try {
      logs = testFn({ x: batch.x, y: batch.y, sampleWeight: batch.sampleWeight });
    } finally {
      disposeOwned(batch.owned);
    }
    if (hooks) await callbacks?.onTestBatchEnd(step, logs);
    step += 1;
  }
  const logs = await resolveLogs(metricLogs(model));
  await callbacks?.onTestEnd(logs);
  return logs;
}

/** Keras's return shape: one number, a list in `metricsNames` order, or a dict. */
export function formatResults(
  model: Model,
  logs: Record<string, number>,
  returnDict: boolean,
): number | number[] | Record<string, number> {
  if (returnDict) return logs;
  const names = model.metricsNames.filter((n) => n in logs);
  const extra = Object.keys(logs).filter((k) => !names.includes(k));
  const values = [...names, ...extra].map((n) => logs[n] as number);
  return values.length === 1 ? (values[0] as number) : values;
}

/** keras Model.evaluate: `[loss, per-output losses..., metrics...]`, or a dict. */
export async function evaluate(
  model: Model,
  x: unknown,
  y: unknown,
  opts: EvaluateOptions = {},
): Promise<number | number[] | Record<string, number>> {
  model.requireCompiled();
  const verbose = verbosity(opts.verbose);
  const { adapter } = makeAdapter({
    x,
    y,
    sampleWeight: opts.sampleWeight,
    batchSize: opts.batchSize ?? 32,
    shuffle: false,
    mode: 'train',
    numInputs: model.inputNames.length,
    numOutputs: model.outputNames.length,
    workers: opts.workers,
    maxQueueSize: opts.maxQueueSize,
  });
  const cbs: Callback[] = [];
  if (verbose > 0) cbs.push(new ProgbarLogger());
  cbs.push(...(opts.callbacks ?? []));
  const callbacks = new CallbackList(cbs);
  callbacks.setModel(model);
  callbacks.setParams({ epochs: 1, steps: opts.steps ?? adapter.numBatches, verbose });
  try {
    const logs = await runEvaluation(model, adapter, { steps: opts.steps ?? null, callbacks });
    return formatResults(model, logs, opts.returnDict ?? false);
  } finally {
    adapter.dispose();
  }
}
