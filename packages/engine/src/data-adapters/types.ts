import type * as tf from '@tensorflow/tfjs-core';
import type { Structure } from './structure.js';

/** One batch as the train/test/predict functions see it. */
export interface Batch {
  x: Structure<tf.Tensor>;
  y: Structure<tf.Tensor> | null;
  sampleWeight: Structure<tf.Tensor> | null;
  /** Tensors made for this batch only; the loop disposes them after the step. */
  owned: Set<tf.Tensor>;
}

/** A source of batches for fit/evaluate/predict (Keras's DataAdapter). */
export interface DataAdapter {
  /** Batches per full pass, when known. */
  readonly numBatches: number | null;
  /** Whether `epochBatches` can be restarted each epoch (arrays, Sequences, iterables). */
  readonly restartable: boolean;
  /** The batches of one epoch, at most `steps` of them (null: a full pass). */
  epochBatches(args: { epoch: number; steps: number | null }): AsyncIterable<Batch>;
  onEpochEnd(): void | Promise<void>;
  /** Frees what the adapter made (converted arrays). */
  dispose(): void;
}

/** The data seam: `{ length, getItem(i), onEpochEnd? }`, as keras.utils.Sequence. */
export interface SequenceLike {
  readonly length: number;
  getItem(index: number): unknown | Promise<unknown>;
  onEpochEnd?(): void | Promise<void>;
  createEpochIterator?(args: {
    epoch: number;
    workers?: number;
    maxQueueSize?: number;
    shuffle?: boolean;
  }): AsyncIterable<unknown>;
}

export function isSequenceLike(v: unknown): v is SequenceLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as SequenceLike).getItem === 'function' &&
    typeof (v as SequenceLike).length === 'number'
  );
}

export function isIterator(v: unknown): v is Iterator<unknown> | AsyncIterator<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as Iterator<unknown>).next === 'function';
}

export function isAsyncIterable(v: unknown): v is AsyncIterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

/** An iterable of batches that is not array data (an array of `[x, y]` pairs, a Set, ...). */
export function isBatchIterable(v: unknown): v is Iterable<unknown> {
  return typeof v === 'object' && v !== null && Symbol.iterator in v && !ArrayBuffer.isView(v);
}
