import type * as tf from '@tensorflow/tfjs-core';
import { ArrayDataAdapter, cardinality, splitTail } from '../data-adapters/array-adapter.js';
import { GeneratorDataAdapter, type ItemParser } from '../data-adapters/generator-adapter.js';
import {
  isLeaf,
  isPlainObject,
  mapStructure,
  type Structure,
  toTensor,
} from '../data-adapters/structure.js';
import {
  type DataAdapter,
  isAsyncIterable,
  isIterator,
  isSequenceLike,
} from '../data-adapters/types.js';

/** Whether `x` is a source of batches (generator, Sequence, iterable of batches), not array data. */
export function isBatchSource(x: unknown, y: unknown): boolean {
  if (isSequenceLike(x) || isIterator(x) || isAsyncIterable(x)) return true;
  if (isLeaf(x) || isPlainObject(x)) return false;
  if (Array.isArray(x)) {
    // An array of batches: every element is itself a tuple [x, y?, sw?] of non-leaf parts.
    return (
      y === undefined &&
      x.length > 0 &&
      x.every((b) => Array.isArray(b) && !isLeaf(b) && b.length >= 1 && b.length <= 3)
    );
  }
  return typeof x === 'object' && x !== null && Symbol.iterator in x;
}

/** Splits a yielded item into x / y / sample weights (`[x, y, sw]`, or x alone for predict). */
export function itemParser(mode: 'train' | 'predict', numInputs: number): ItemParser {
  return (item) => {
    if (Array.isArray(item) && !isLeaf(item)) {
      const looksLikeInputList =
        mode === 'predict' && numInputs > 1 && item.length === numInputs && item.every(isLeaf);
      if (!looksLikeInputList && item.length >= 1 && item.length <= 3) {
        return {
          x: item[0] as Structure<unknown>,
          y: (item[1] ?? null) as Structure<unknown> | null,
          sampleWeight: (item[2] ?? null) as Structure<unknown> | null,
        };
      }
    }
    if (isPlainObject(item) && 'x' in item) {
      return {
        x: item.x as Structure<unknown>,
        y: (item.y ?? null) as Structure<unknown> | null,
        sampleWeight: (item.sampleWeight ??
          item.sample_weight ??
          null) as Structure<unknown> | null,
      };
    }
    if (mode === 'train') {
      throw new Error(
        'Expected each batch from the generator/Sequence to be [x, y] or [x, y, sampleWeight]. ' +
          `Received: ${describe(item)}`,
      );
    }
    return { x: item as Structure<unknown>, y: null, sampleWeight: null };
  };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
}

/**
 * Converts array data to tensors, recording which tensors were made (to dispose them later).
 * With `arity` > 1 (a multi-input or multi-output model), an array of that many arrays is a
 * list of per-input data, not one higher-rank array.
 */
export function toTensors(
  s: unknown,
  what: string,
  made: tf.Tensor[],
  arity = 1,
): Structure<tf.Tensor> | null {
  if (s === null || s === undefined) return null;
  if (arity > 1 && Array.isArray(s) && s.length === arity && s.every((v) => isLeaf(v))) {
    return s.map((leaf, i) => {
      const { t, owned } = toTensor(leaf, `${what}[${i}]`);
      if (owned) made.push(t);
      return t;
    });
  }
  return mapStructure(s as Structure<unknown>, (leaf, key) => {
    const { t, owned } = toTensor(leaf, key ? `${what}[${key}]` : what);
    if (owned) made.push(t);
    return t;
  });
}

export interface AdapterRequest {
  x: unknown;
  y?: unknown;
  sampleWeight?: unknown;
  batchSize?: number | null;
  shuffle?: boolean | 'batch';
  mode: 'train' | 'predict';
  numInputs: number;
  numOutputs?: number;
  workers?: number;
  maxQueueSize?: number;
  validationSplit?: number;
}

/** Builds the adapter for fit/evaluate/predict, plus the validation tail for validationSplit. */
export function makeAdapter(req: AdapterRequest): {
  adapter: DataAdapter;
  validation: {
    x: Structure<tf.Tensor>;
    y: Structure<tf.Tensor> | null;
    sampleWeight: Structure<tf.Tensor> | null;
    made: tf.Tensor[];
  } | null;
} {
  if (isBatchSource(req.x, req.y)) {
    if (req.y !== undefined && req.y !== null) {
      throw new Error(
        '`y` argument is not supported when using a generator, a Sequence or an iterable of ' +
          'batches as input: they yield [x, y] themselves. Received: y given',
      );
    }
    if (req.validationSplit) {
      throw new Error(
        '`validationSplit` is only supported for tensors and arrays, not for generators or ' +
          `Sequences. Received: validationSplit=${req.validationSplit}`,
      );
    }
    return {
      adapter: new GeneratorDataAdapter({
        source: req.x,
        parse: itemParser(req.mode, req.numInputs),
        shuffle: req.shuffle === true,
        workers: req.workers,
        maxQueueSize: req.maxQueueSize,
      }),
      validation: null,
    };
  }
  if (req.x === undefined || req.x === null) {
    throw new Error(
      `Expected input data \`x\` (a tensor, an array, a list or a dict). Received: x=${String(req.x)}`,
    );
  }
  const made: tf.Tensor[] = [];
  try {
    let x = toTensors(req.x, 'x', made, req.numInputs) as Structure<tf.Tensor>;
    let y = toTensors(req.y, 'y', made, req.numOutputs ?? 1);
    let sw = toTensors(req.sampleWeight, 'sample_weight', made, req.numOutputs ?? 1);
    let validation = null;
    if (req.validationSplit) {
      const v = req.validationSplit;
      if (!(v > 0 && v < 1)) {
        throw new Error(
          `validationSplit must be between 0 and 1 (exclusive). Received: validationSplit=${v}`,
        );
      }
      const n = cardinality({ x, y, sample_weight: sw });
      const [xt, xv, m1] = splitTail(x, n, v);
      const [yt, yv, m2] = splitTail(y, n, v);
      const [swt, swv, m3] = splitTail(sw, n, v);
      made.push(...m1, ...m2, ...m3);
      x = xt as Structure<tf.Tensor>;
      y = yt;
      sw = swt;
      validation = { x: xv as Structure<tf.Tensor>, y: yv, sampleWeight: swv, made: [] };
    }
    const adapter = new ArrayDataAdapter({
      x,
      y,
      sampleWeight: sw,
      batchSize: req.batchSize ?? 32,
      shuffle: req.shuffle ?? false,
      owned: made,
    });
    return { adapter, validation };
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}
