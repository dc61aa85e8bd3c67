import type { Callback } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { isSequenceLike } from '../data-adapters/types.js';
import type { Model } from '../model.js';
import { evaluate } from './evaluate-loop.js';
import { fit } from './fit-loop.js';
import { predict } from './predict-loop.js';

export { type EvaluateOptions, evaluate } from './evaluate-loop.js';
export { type FitOptions, fit } from './fit-loop.js';
export { type OnBatchOptions, predictOnBatch, testOnBatch, trainOnBatch } from './on-batch.js';
export { type PredictOptions, predict } from './predict-loop.js';

export interface GeneratorOptions {
  steps?: number;
  verbose?: number | 'auto';
  callbacks?: Callback[];
  workers?: number;
  maxQueueSize?: number;
  useMultiprocessing?: boolean;
}

export interface FitGeneratorOptions {
  stepsPerEpoch?: number;
  epochs?: number;
  verbose?: number | 'auto';
  callbacks?: Callback[];
  validationData?: unknown;
  validationSteps?: number;
  validationFreq?: number | number[];
  classWeight?: Record<number, number>;
  maxQueueSize?: number;
  workers?: number;
  useMultiprocessing?: boolean;
  shuffle?: boolean;
  initialEpoch?: number;
}

function requireSteps(generator: unknown, steps: number | undefined, name: string): void {
  if (steps === undefined && !isSequenceLike(generator) && !Array.isArray(generator)) {
    throw new Error(
      `\`${name}=None\` is only valid for a generator based on the \`keras.utils.Sequence\` ` +
        `class. Please specify \`${name}\` or use the \`keras.utils.Sequence\` class.`,
    );
  }
}

/**
 * Keras 2's fit_generator: per step, one train_on_batch on the next batch (the train function is
 * built lazily by the first one); epoch logs are batch-size-weighted means, as Keras 2 logged.
 */
export function fitGenerator(
  model: Model,
  generator: unknown,
  opts: FitGeneratorOptions = {},
): Promise<History> {
  requireSteps(generator, opts.stepsPerEpoch, 'steps_per_epoch');
  return fit(model, generator, undefined, {
    epochs: opts.epochs ?? 1,
    stepsPerEpoch: opts.stepsPerEpoch,
    verbose: opts.verbose,
    callbacks: opts.callbacks,
    validationData: opts.validationData,
    validationSteps: opts.validationSteps,
    validationFreq: opts.validationFreq,
    classWeight: opts.classWeight,
    maxQueueSize: opts.maxQueueSize,
    workers: opts.workers,
    shuffle: opts.shuffle ?? true,
    initialEpoch: opts.initialEpoch,
  });
}

/** Keras 2's evaluate_generator: `[loss, metrics...]` (or the loss alone). */
export async function evaluateGenerator(
  model: Model,
  generator: unknown,
  opts: GeneratorOptions = {},
): Promise<number | number[]> {
  requireSteps(generator, opts.steps, 'steps');
  const r = await evaluate(model, generator, undefined, {
    steps: opts.steps,
    verbose: opts.verbose ?? 0,
    callbacks: opts.callbacks,
    workers: opts.workers,
    maxQueueSize: opts.maxQueueSize,
  });
  return r as number | number[];
}

/** Keras 2's predict_generator. */
export function predictGenerator(model: Model, generator: unknown, opts: GeneratorOptions = {}) {
  requireSteps(generator, opts.steps, 'steps');
  return predict(model, generator, {
    steps: opts.steps,
    verbose: opts.verbose ?? 0,
    callbacks: opts.callbacks,
    workers: opts.workers,
    maxQueueSize: opts.maxQueueSize,
  });
}
