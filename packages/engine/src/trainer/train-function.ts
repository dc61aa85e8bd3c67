import type { LayerVariable } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';
import type { Structure } from '../data-adapters/structure.js';
import type { Model } from '../model.js';
import { type LogSource, lazyLogs } from '../utils/lazy-logs.js';
import { batchSizeOf, lossAndGradients, type StepData, type StepLogs, totalLoss } from './steps.js';

/** A compiled step: runs one batch in one tidy and returns lazily read logs. */
export type StepFunction = (data: StepData) => Logs;

const DISCREPANCY =
  'Discrepancy between trainable weights and collected trainable weights, did you set ' +
  "`model.trainable` (or a layer's `trainable`) without calling `model.compile` after?";

/**
 * Keras collects the trainable weights at compile. A subclassed model only has weights after its
 * first call, so they are collected then.
 */
export function ensureCollected(model: Model, data: StepData): LayerVariable[] {
  if (model.collectedTrainableWeights === null) {
    if (model.weights.length === 0) tf.tidy(() => void model.forward(data.x, false));
    model.collectedTrainableWeights = [...model.trainableWeights];
  }
  return model.collectedTrainableWeights;
}

/**
 * Keras 2's `_check_trainable_weights_consistency`, run when fit / trainOnBatch start (not per
 * step): warns, once per compile, when `trainable` changed since the weights were collected.
 */
export function checkTrainableConsistency(model: Model): void {
  const collected = model.collectedTrainableWeights;
  if (collected === null || model.discrepancyWarned) return;
  const now = model.trainableWeights;
  const same = now.length === collected.length && now.every((v, i) => v === collected[i]);
  if (!same) {
    console.warn(DISCREPANCY);
    model.discrepancyWarned = true;
  }
}

/** Keras 3's default train_step: forward under the tape, gradients, optimizer update, metrics. */
export function defaultTrainStep(model: Model, data: StepData): StepLogs {
  const compiled = model.requireCompiled();
  const optimizer = model.optimizer as NonNullable<Model['optimizer']>;
  const vars = ensureCollected(model, data);
  const r = lossAndGradients(model, data, vars);
  const pairs: [tf.Tensor, LayerVariable][] = [];
  r.grads.forEach((g, i) => {
    if (g) pairs.push([g, vars[i] as LayerVariable]);
  });
  if (pairs.length === 0) {
    throw new Error(
      'No gradients provided for any variable: the loss does not depend on the trainable ' +
        'weights. Expected a loss connected to the model outputs.',
    );
  }
  optimizer.applyGradients(pairs);
  const { loss, metrics } = compiled.ensure(model.outputNames);
  const n = batchSizeOf(r.yPred);
  loss.track(r.loss, r.perOutput, n);
  metrics.update(r.yTrue, r.yPred, r.sampleWeight);
}

/** Keras 3's default test_step: inference-mode forward, losses and metrics tracked. */
export function defaultTestStep(model: Model, data: StepData): StepLogs {
  const compiled = model.requireCompiled();
  const yPred = model.forward(data.x, false);
  const parts = totalLoss(model, data, yPred);
  const { loss, metrics } = compiled.ensure(model.outputNames);
  loss.track(parts.total, parts.perOutput, batchSizeOf(yPred));
  metrics.update(parts.yTrue, yPred, parts.sampleWeight);
}

/** Logs of the compiled trackers and metrics, read on demand. */
export function metricLogs(model: Model): Logs {
  const current = model.compiled?.current;
  if (!current) return {};
  const entries: [string, LogSource][] = current.loss.trackers.map((t) => [
    t.name,
    () => t.resultTensor(),
  ]);
  entries.push(...current.metrics.readers());
  return lazyLogs(entries);
}

const customLogs = new WeakSet<Logs>();

function markCustom(logs: Logs): Logs {
  customLogs.add(logs);
  return logs;
}

/** Whether a step returned its own logs (an overridden trainStep/testStep), not the metrics'. */
export function isCustomLogs(logs: Logs | undefined): boolean {
  return logs !== undefined && customLogs.has(logs);
}

/**
 * Wraps a step: one tidy per batch; tensors a custom step returns are kept and read lazily
 * (disposed on the next call). No host sync happens here.
 */
function wrapStep(model: Model, step: (data: StepData) => StepLogs): StepFunction {
  let held: tf.Tensor[] = [];
  return (data: StepData) => {
    for (const t of held) t.dispose();
    held = [];
    let custom: Record<string, tf.Tensor | number> | null = null;
    tf.tidy(() => {
      const out = step.call(model, data);
      if (out && typeof out === 'object') {
        custom = {};
        for (const [k, v] of Object.entries(out)) {
          if (v instanceof tf.Tensor) {
            held.push(tf.keep(v));
          }
          custom[k] = v;
        }
      }
    });
    if (custom === null) return metricLogs(model);
    const values = custom as Record<string, tf.Tensor | number>;
    return markCustom(
      lazyLogs(
        Object.entries(values).map(([k, v]) => [
          k,
          // A copy: the step's own tensor stays held until the next call.
          () => (typeof v === 'number' ? v : tf.clone(v as tf.Tensor)),
        ]),
      ),
    );
  };
}

/** Keras's make_train_function: built once, cached until the next compile (or `force`). */
export function makeTrainFunction(model: Model, opts: { force?: boolean } = {}): StepFunction {
  model.requireCompiled();
  if (model.trainFunction && !opts.force) return model.trainFunction;
  model.trainFunction = wrapStep(model, (data) => model.trainStep(data));
  return model.trainFunction;
}

export function makeTestFunction(model: Model, opts: { force?: boolean } = {}): StepFunction {
  model.requireCompiled();
  if (model.testFunction && !opts.force) return model.testFunction;
  model.testFunction = wrapStep(model, (data) => model.testStep(data));
  return model.testFunction;
}

/** The predict function: outputs of one batch, in a tidy (returned tensors are the caller's). */
export function makePredictFunction(
  model: Model,
  opts: { force?: boolean } = {},
): (x: Structure<tf.Tensor>) => tf.Tensor[] {
  if (model.predictFunction && !opts.force) return model.predictFunction;
  model.predictFunction = (x) => tf.tidy(() => model.predictStep({ x }));
  return model.predictFunction;
}
