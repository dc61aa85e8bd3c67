import type { LayerVariable } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { watermark } from '../data-adapters/ownership.js';
import type { Structure } from '../data-adapters/structure.js';
import type { Model } from '../model.js';
import { checkTargetShape, targetsToList } from './standardize.js';

/** One step's data, as the step functions receive it (Keras's `data` tuple). */
export interface StepData {
  x: Structure<tf.Tensor>;
  y?: Structure<tf.Tensor> | null;
  sampleWeight?: Structure<tf.Tensor> | null;
  classWeight?: Record<number, number> | null;
}

/** What a step may return: values for the logs (tensors are read lazily), or nothing. */
// biome-ignore lint/suspicious/noConfusingVoidType: an overriding step may simply return nothing.
export type StepLogs = Record<string, tf.Tensor | number> | undefined | void;

/** Per-sample weights from `classWeight` (by class index, or argmax of one-hot targets). */
export function classWeightsFor(y: tf.Tensor, classWeight: Record<number, number>): tf.Tensor {
  const maxClass = Math.max(...Object.keys(classWeight).map(Number));
  const table = new Float32Array(maxClass + 1).fill(1);
  for (const [k, w] of Object.entries(classWeight)) {
    const idx = Number(k);
    if (!Number.isInteger(idx) || idx < 0) {
      throw new Error(
        `class_weight keys must be non-negative integer class indices. Received: ${k}`,
      );
    }
    table[idx] = w;
  }
  const classes =
    y.rank >= 2 && (y.shape[y.rank - 1] as number) > 1
      ? tf.argMax(y, -1)
      : tf.cast(tf.reshape(y, [y.shape[0] as number]), 'int32');
  const clipped = tf.clipByValue(classes, 0, maxClass);
  return tf.gather(tf.tensor1d(table), tf.reshape(clipped, [-1]));
}

/** The targets and sample weights of a step, per output, with class weights folded in. */
export function prepareTargets(
  model: Model,
  data: StepData,
  yPred: tf.Tensor[],
): { yTrue: (tf.Tensor | null)[]; sampleWeight: (tf.Tensor | null)[] | null } {
  const names = model.outputNames;
  const compiled = model.requireCompiled();
  const { loss } = compiled.ensure(names);
  const yTrue = targetsToList(data.y ?? null, names, 'y');
  if (yTrue === null) {
    throw new Error(
      'Target data is missing. The model was compiled with a loss, so fit/evaluate/trainOnBatch ' +
        `need \`y\` for the outputs ${loss.trainedOutputs.map((i) => names[i]).join(', ')}.`,
    );
  }
  loss.losses.forEach((l, i) => {
    const yt = yTrue[i];
    const yp = yPred[i];
    if (l && yt && yp) checkTargetShape(yt, yp, names[i] as string, l.name);
  });
  let sampleWeight = targetsToList(data.sampleWeight ?? null, names, 'sample_weight');
  if (data.classWeight) {
    const cw = data.classWeight;
    sampleWeight = yTrue.map((yt, i) => {
      if (!yt) return sampleWeight?.[i] ?? null;
      const w = classWeightsFor(yt, cw);
      const given = sampleWeight?.[i];
      return given ? tf.mul(tf.reshape(tf.cast(given, 'float32'), [-1]), w) : w;
    });
  }
  return { yTrue, sampleWeight };
}

function batchSizeOf(yPred: tf.Tensor[]): number {
  return (yPred[0]?.shape[0] as number | undefined) ?? 1;
}

/**
 * The total loss of a step: compiled losses plus the model's own losses (regularizers,
 * `addLoss`), as Keras 3's `compute_loss`.
 */
export function totalLoss(
  model: Model,
  data: StepData,
  yPred: tf.Tensor[],
): {
  total: tf.Tensor;
  perOutput: (tf.Tensor | null)[];
  yTrue: (tf.Tensor | null)[];
  sampleWeight: (tf.Tensor | null)[] | null;
} {
  const { yTrue, sampleWeight } = prepareTargets(model, data, yPred);
  const { loss } = model.requireCompiled().ensure(model.outputNames);
  const { total, perOutput } = loss.compute(yTrue, yPred, sampleWeight);
  const extra = model.losses;
  const sum = extra.length > 0 ? tf.add(total, tf.addN(extra.map((t) => tf.sum(t)))) : total;
  return { total: sum, perOutput, yTrue, sampleWeight };
}

/**
 * Gradients of the total loss with respect to `vars` (the contract's `computeGradients`): one
 * forward pass in training mode under the tape. Returned tensors belong to the caller's scope.
 */
export function lossAndGradients(
  model: Model,
  data: StepData,
  vars: LayerVariable[],
): {
  loss: tf.Tensor;
  grads: (tf.Tensor | null)[];
  yPred: tf.Tensor[];
  perOutput: (tf.Tensor | null)[];
  yTrue: (tf.Tensor | null)[];
  sampleWeight: (tf.Tensor | null)[] | null;
} {
  if (vars.length === 0) {
    throw new Error(
      'The model has no trainable weights to train. Expected at least one trainable weight ' +
        '(were all layers frozen before compile?).',
    );
  }
  const kept: tf.Tensor[] = [];
  // Only tensors made under the tape need carrying out; older ones (the batch) are not ours.
  const mark = watermark();
  const keep = <T extends tf.Tensor | null>(t: T): T => {
    if (t && t.id >= mark && !kept.includes(t)) kept.push(tf.keep(t));
    return t;
  };
  let captured: Omit<ReturnType<typeof lossAndGradients>, 'grads' | 'loss'> | null = null;
  let unscaled: tf.Tensor | null = null;
  const optimizer = model.optimizer;
  const { value, grads } = tf.engine().gradients(
    () => {
      const yPred = model.forward(data.x, true);
      const parts = totalLoss(model, data, yPred);
      captured = {
        yPred: yPred.map(keep),
        perOutput: parts.perOutput.map(keep),
        yTrue: parts.yTrue.map(keep),
        sampleWeight: parts.sampleWeight?.map(keep) ?? null,
      };
      unscaled = keep(parts.total);
      return optimizer
        ? (optimizer.scaleLoss(parts.total) as tf.Scalar)
        : (parts.total as tf.Scalar);
    },
    vars.map((v) => v.value),
    undefined,
    true,
  );
  // Hand the kept tensors back to the enclosing tidy, so the step's scope frees them.
  untrack(kept);
  const c = captured as unknown as Omit<ReturnType<typeof lossAndGradients>, 'grads' | 'loss'>;
  const loss = unscaled === value ? value : (unscaled as unknown as tf.Tensor);
  return { loss, grads: grads.map((g) => g ?? null), ...c };
}

/**
 * Removes the keep flag and registers the tensors with the current tidy scope, so the step's
 * tidy frees them (tf.keep was needed only to carry them out of the tape's inner 'forward'
 * tidy). Outside any tidy they simply belong to the caller.
 */
function untrack(tensors: tf.Tensor[]): void {
  const scope = (
    tf.engine() as unknown as { state: { activeScope: { track: tf.Tensor[] } | null } }
  ).state.activeScope;
  for (const t of tensors) {
    (t as unknown as { kept: boolean }).kept = false;
    if (scope) scope.track.push(t);
  }
}

export { batchSizeOf };
