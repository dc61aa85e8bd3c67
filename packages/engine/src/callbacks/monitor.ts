import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { CallbackModel, Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

const MAX_HINTS = ['acc', 'auc', 'precision', 'recall', 'f1', 'fmeasure', 'iou'];

/** Keras's 'auto' mode: maximise accuracy-like quantities, minimise the rest (losses, errors). */
export function resolveMode(mode: MonitorMode, monitor: string, owner: string): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
    throw new Error(
      `${owner}: mode must be one of 'auto', 'min', 'max'. Received: mode=${String(mode)}`,
    );
  }
  if (mode !== 'auto') return mode;
  const name = monitor.replace(/^val_/, '');
  if (name.endsWith('loss')) return 'min';
  return MAX_HINTS.some((h) => name.includes(h)) ? 'max' : 'min';
}

/** Reads the monitored value, warning (once per call site) with the available keys when absent. */
export function monitorValue(
  logs: Logs | undefined,
  monitor: string,
  owner: string,
): number | null {
  const value = logs?.[monitor];
  if (value === undefined) {
    const available = Object.keys(logs ?? {}).join(',');
    console.warn(
      `${owner} conditioned on metric \`${monitor}\` which is not available. ` +
        `Available metrics are: ${available}`,
    );
    return null;
  }
  return value;
}

/**
 * Copies of the model's weights that survive later updates (the live variables are assigned in
 * place by the optimizer).
 */
export function snapshotWeights(model: CallbackModel): Tensor[] {
  return tf.tidy(() => model.getWeights().map((w) => tf.clone(w)));
}

export function disposeAll(tensors: Tensor[] | null): void {
  if (tensors) for (const t of tensors) t.dispose();
}

interface LearningRateHolder {
  learningRate?: unknown;
}

function isVariableLike(v: unknown): v is { value: tf.Variable } | tf.Variable {
  return (
    v instanceof tf.Variable ||
    (typeof v === 'object' && v !== null && (v as { value?: unknown }).value instanceof tf.Variable)
  );
}

function optimizerOf(model: CallbackModel | null, owner: string): LearningRateHolder {
  const opt = model?.optimizer as LearningRateHolder | undefined;
  if (!opt || !('learningRate' in opt)) {
    throw new Error(
      `${owner} needs a compiled model whose optimizer has a \`learningRate\`. Received: optimizer=${String(opt)}`,
    );
  }
  return opt;
}

interface KerasTsOptimizer {
  currentLearningRate(): tf.Tensor;
  learningRateSchedule: unknown;
  learningRate: unknown;
}

function isKerasTsOptimizer(opt: unknown): opt is KerasTsOptimizer {
  return (
    typeof (opt as { currentLearningRate?: unknown }).currentLearningRate === 'function' &&
    'learningRateSchedule' in (opt as object)
  );
}

function scheduleError(owner: string, lr: unknown): Error {
  return new Error(
    `${owner}: the optimizer's learning rate is a schedule, which this callback cannot change. ` +
      `Received: learningRate=${String(lr)}`,
  );
}

/**
 * The optimizer's current learning rate as a number (a variable or a plain number), read with an
 * awaited download: callbacks run on every backend, and WebGPU in Node has no synchronous read.
 */
export async function getLearningRate(model: CallbackModel | null, owner: string): Promise<number> {
  const opt = optimizerOf(model, owner);
  if (isKerasTsOptimizer(opt)) {
    // A schedule's current value, as Keras's `optimizer.learning_rate` gives it; changing it
    // is what fails (in the optimizer's setter).
    const t = opt.currentLearningRate();
    const value = (await t.data())[0] as number;
    if (opt.learningRateSchedule !== null) t.dispose();
    return value;
  }
  const lr = opt.learningRate;
  if (typeof lr === 'number') return lr;
  if (isVariableLike(lr)) {
    const v = lr instanceof tf.Variable ? lr : lr.value;
    return (await v.data())[0] as number;
  }
  throw scheduleError(owner, lr);
}

/** Sets the optimizer's learning rate, through its setter or its variable. */
export function setLearningRate(model: CallbackModel | null, value: number, owner: string): void {
  if (!Number.isFinite(value)) {
    throw new Error(`${owner}: the learning rate must be a finite number. Received: ${value}`);
  }
  const opt = optimizerOf(model, owner);
  if (isKerasTsOptimizer(opt)) {
    // The setter assigns the rate's variable (no read of the old value).
    opt.learningRate = value;
    return;
  }
  const lr = opt.learningRate;
  if (isVariableLike(lr)) {
    const v = lr instanceof tf.Variable ? lr : lr.value;
    tf.tidy(() => v.assign(tf.scalar(value, v.dtype)));
  } else {
    opt.learningRate = value;
  }
}
