import type * as tf from '@tensorflow/tfjs-core';
import { isPlainObject, isTensor, type Structure } from '../data-adapters/structure.js';

/**
 * Orders model inputs by name: a dict by input name, a list by position, or one tensor for a
 * single-input model. Errors list the names the model expects.
 */
export function inputsToList(x: Structure<tf.Tensor>, names: string[]): tf.Tensor[] {
  if (isTensor(x)) {
    if (names.length !== 1) {
      throw new Error(
        `The model expects ${names.length} inputs (${names.join(', ')}), but it received a single ` +
          `tensor. Pass a list or a dict by input name.`,
      );
    }
    return [x];
  }
  if (Array.isArray(x)) {
    if (x.length !== names.length) {
      throw new Error(
        `The model expects ${names.length} input(s) (${names.join(', ')}), but it received a list ` +
          `of ${x.length} arrays.`,
      );
    }
    return x;
  }
  if (isPlainObject(x)) {
    const keys = Object.keys(x);
    for (const k of keys) {
      if (!names.includes(k)) {
        throw new Error(
          `Input name "${k}" does not match any model input. Expected keys: ${JSON.stringify(names)}. ` +
            `Received keys: ${JSON.stringify(keys)}`,
        );
      }
    }
    return names.map((n) => {
      const v = x[n];
      if (v === undefined) {
        throw new Error(
          `No data provided for input "${n}". Expected keys: ${JSON.stringify(names)}. ` +
            `Received keys: ${JSON.stringify(keys)}`,
        );
      }
      return v;
    });
  }
  throw new Error(`Expected model inputs as a tensor, a list or a dict. Received: ${String(x)}`);
}

/**
 * Targets (or sample weights) per output: a dict by output name (missing outputs get null), a
 * list by position, or one tensor (one output; for sample weights, every output).
 */
export function targetsToList(
  y: Structure<tf.Tensor> | null | undefined,
  names: string[],
  what: 'y' | 'sample_weight',
): (tf.Tensor | null)[] | null {
  if (y === null || y === undefined) return null;
  if (isTensor(y)) {
    if (names.length === 1 || what === 'sample_weight') return names.map(() => y);
    throw new Error(
      `The model has ${names.length} outputs (${names.join(', ')}), but \`${what}\` is a single ` +
        `tensor. Pass a list or a dict by output name.`,
    );
  }
  if (Array.isArray(y)) {
    if (y.length !== names.length) {
      throw new Error(
        `\`${what}\` should have one entry per model output (${names.join(', ')}). ` +
          `Received a list of ${y.length}.`,
      );
    }
    return y;
  }
  if (isPlainObject(y)) {
    for (const k of Object.keys(y)) {
      if (!names.includes(k)) {
        throw new Error(
          `Key "${k}" in \`${what}\` does not match any model output. Expected keys among: ` +
            `${JSON.stringify(names)}`,
        );
      }
    }
    return names.map((n) => (y as Record<string, tf.Tensor>)[n] ?? null);
  }
  throw new Error(`Expected \`${what}\` as a tensor, a list or a dict. Received: ${String(y)}`);
}

/** Checks a target against its prediction (same rank, same trailing sizes, or sparse labels). */
export function checkTargetShape(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  outputName: string,
  lossName: string,
): void {
  if (yTrue.shape[0] !== yPred.shape[0]) {
    throw new Error(
      `Target and output batch sizes differ for output "${outputName}": expected ${yPred.shape[0]} ` +
        `samples, received target shape [${yTrue.shape}]`,
    );
  }
  const sparse = /sparse/i.test(lossName);
  if (sparse) return;
  const sameRank = yTrue.rank === yPred.rank;
  const squeezable =
    Math.abs(yTrue.rank - yPred.rank) === 1 &&
    (yTrue.shape[yTrue.rank - 1] === 1 || yPred.shape[yPred.rank - 1] === 1);
  if (!sameRank && !squeezable) {
    throw new Error(
      `Target shape [${yTrue.shape}] is incompatible with output "${outputName}" of shape ` +
        `[${yPred.shape}] (loss ${lossName}): expected a target of shape [${yPred.shape}].`,
    );
  }
  if (sameRank) {
    for (let i = 1; i < yTrue.rank; i++) {
      const a = yTrue.shape[i];
      const b = yPred.shape[i];
      if (a !== b && a !== 1 && b !== 1) {
        throw new Error(
          `Target shape [${yTrue.shape}] is incompatible with output "${outputName}" of shape ` +
            `[${yPred.shape}] (loss ${lossName}): expected a target of shape [${yPred.shape}].`,
        );
      }
    }
  }
}
