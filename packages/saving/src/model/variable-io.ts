import { hostRead, withValuesReadAhead } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { H5Data, H5Dataset, H5DType } from '../h5/tree.js';
import { type LayerLike, type ModelLike, type VariableLike, variableShape } from './types.js';

/** A value waiting to be assigned; nothing is assigned until every value of a file checked out. */
export interface PendingAssign {
  variable: VariableLike;
  values: H5Data;
  shape: number[];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Checks that a stored array fits a variable. Errors name where the value came from, the
 * variable, the expected and the received shape.
 */
export function checkAssign(
  variable: VariableLike,
  ds: { shape: number[]; data: H5Data },
  where: string,
): PendingAssign {
  const expected = variableShape(variable);
  // Keras stores scalars with shape (); a variable of shape [1] takes them too.
  const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const compatible =
    sameShape(expected, ds.shape) || (sizeOf(expected) === 1 && sizeOf(ds.shape) === 1);
  if (!compatible) {
    throw new Error(
      `Cannot load ${where} into variable "${variable.path ?? variable.name}": expected shape [${expected}]. ` +
        `Received: shape [${ds.shape}]`,
    );
  }
  return { variable, values: ds.data, shape: expected };
}

/** Assigns every pending value (after all of them were checked). */
export function applyAssigns(pending: readonly PendingAssign[]): void {
  for (const { variable, values, shape } of pending) {
    const dtype = variable.value.dtype;
    const data =
      dtype === 'int32' || dtype === 'bool'
        ? Int32Array.from(values as ArrayLike<number>)
        : values instanceof Float32Array
          ? values
          : Float32Array.from(values as ArrayLike<number>);
    tf.tidy(() => {
      const t = tf.tensor(data, shape, dtype === 'bool' ? 'int32' : dtype);
      variable.value.assign(dtype === 'bool' ? tf.cast(t, 'bool') : t);
    });
  }
}

function variablesOf(model: ModelLike): tf.Tensor[] {
  const out = new Set<tf.Tensor>();
  const walk = (layer: LayerLike) => {
    for (const v of layer.weights) out.add(v.value);
    for (const inner of (layer as { layers?: readonly LayerLike[] }).layers ?? []) walk(inner);
  };
  walk(model);
  for (const v of model.optimizer?.variables ?? []) out.add(v.value);
  return [...out];
}

/**
 * Runs a (synchronous) writer with every variable of the model and its optimizer read ahead by
 * awaited downloads (`hostRead` inside serves them): the WebGPU backend in Node has no
 * synchronous read, and a model trained there must still save.
 */
export function withHostValues<T>(model: ModelLike, write: () => T | Promise<T>): Promise<T> {
  return withValuesReadAhead(variablesOf(model), write);
}

/** The current value of a variable as a dataset for a file. */
export function variableToDataset(variable: VariableLike): H5Dataset {
  const value = variable.value;
  const shape = [...value.shape];
  const raw = hostRead(value);
  let dtype: H5DType = 'float32';
  let data: H5Data;
  if (value.dtype === 'int32') {
    dtype = 'int32';
    data =
      raw instanceof Int32Array ? new Int32Array(raw) : Int32Array.from(raw as ArrayLike<number>);
  } else if (value.dtype === 'bool') {
    dtype = 'bool';
    data = Int8Array.from(raw as ArrayLike<number>);
  } else {
    data = new Float32Array(raw as Float32Array);
  }
  return { type: 'dataset', shape, dtype, data, attrs: new Map() };
}
