import * as tf from '@tensorflow/tfjs-core';
import { randomSeed, SeededRandom } from './random.js';
import { Sequence } from './sequence.js';
import type { ArrayData, Batch, Structure } from './types.js';

export interface ArrayBatchesOptions {
  batchSize?: number;
  /** `true`: a new sample order each epoch; `'batch'`: shuffle batch-sized chunks (Keras's `shuffle='batch'`). */
  shuffle?: boolean | 'batch';
  sampleWeight?: ArrayData;
  seed?: number;
}

type TensorStructure = tf.Tensor | tf.Tensor[] | { [name: string]: tf.Tensor };

function isTensor(v: unknown): v is tf.Tensor {
  return typeof v === 'object' && v !== null && 'dataSync' in v && 'shape' in v;
}

function toTensor(v: ArrayData): tf.Tensor {
  if (isTensor(v)) return v;
  if (ArrayBuffer.isView(v)) return tf.tensor(v as tf.TypedArray);
  return tf.tensor(v as tf.TensorLike);
}

function isArrayData(v: unknown): v is ArrayData {
  if (isTensor(v) || ArrayBuffer.isView(v)) return true;
  // A nested number array is data; an array of arrays-of-data is a list of inputs.
  return Array.isArray(v) && (v.length === 0 || !Array.isArray(v[0]) || !isListOfData(v));
}

function isListOfData(v: unknown[]): boolean {
  return v.every((e) => isTensor(e) || ArrayBuffer.isView(e));
}

function toStructure(s: Structure): TensorStructure {
  if (isArrayData(s)) return toTensor(s);
  if (Array.isArray(s)) return (s as ArrayData[]).map(toTensor);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, toTensor(v)]));
}

function leaves(s: TensorStructure): tf.Tensor[] {
  if (isTensor(s)) return [s];
  if (Array.isArray(s)) return s;
  return Object.values(s);
}

function mapStructure(s: TensorStructure, f: (t: tf.Tensor) => tf.Tensor): TensorStructure {
  if (isTensor(s)) return f(s);
  if (Array.isArray(s)) return s.map(f);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, f(v)]));
}

/**
 * In-memory arrays as a Sequence of batches (Keras's array data adapter): the last batch takes
 * the remainder; shuffling reorders samples (or batch-sized chunks) every epoch.
 */
export class ArraySequence extends Sequence {
  private readonly x: TensorStructure;
  private readonly y: TensorStructure | null;
  private readonly sw: tf.Tensor | null;
  private readonly numSamples: number;
  private readonly batchSize: number;
  private readonly shuffle: boolean | 'batch';
  private readonly rng: SeededRandom;
  private order: Int32Array | null = null;

  constructor(x: Structure, y?: Structure | null, options: ArrayBatchesOptions = {}) {
    super();
    const { batchSize = 32, shuffle = false, sampleWeight, seed = randomSeed() } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(
        `Expected batchSize to be a positive integer. Received: batchSize=${batchSize}`,
      );
    }
    this.x = toStructure(x);
    this.y = y === undefined || y === null ? null : toStructure(y);
    this.sw = sampleWeight === undefined ? null : toTensor(sampleWeight);
    const all = [
      ...leaves(this.x),
      ...(this.y ? leaves(this.y) : []),
      ...(this.sw ? [this.sw] : []),
    ];
    const sizes = all.map((t) => t.shape[0] ?? 0);
    const n = sizes[0] ?? 0;
    if (sizes.some((s) => s !== n)) {
      throw new Error(
        `Data cardinality is ambiguous: all arrays must have the same number of samples. Received sizes: ${sizes.join(', ')}`,
      );
    }
    this.numSamples = n;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.rng = new SeededRandom(seed);
    this.reshuffle();
  }

  get length(): number {
    return Math.ceil(this.numSamples / this.batchSize);
  }

  getItem(index: number): Batch {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(
        `Batch index out of range: expected 0 <= index < ${this.length}. Received: index=${index}`,
      );
    }
    const start = index * this.batchSize;
    const end = Math.min(start + this.batchSize, this.numSamples);
    const take = (t: tf.Tensor): tf.Tensor => {
      if (!this.order) return tf.slice(t, [start], [end - start]);
      const idx = tf.tensor1d(this.order.subarray(start, end), 'int32');
      const out = tf.gather(t, idx);
      idx.dispose();
      return out;
    };
    const x = mapStructure(this.x, take);
    if (!this.y) return [x];
    const y = mapStructure(this.y, take);
    return this.sw ? [x, y, take(this.sw)] : [x, y];
  }

  override onEpochEnd(): void {
    this.reshuffle();
  }

  private reshuffle() {
    if (!this.shuffle) return;
    const n = this.numSamples;
    if (this.shuffle === 'batch') {
      const full = Math.floor(n / this.batchSize);
      const chunks = this.rng.permutation(full);
      const order = new Int32Array(n);
      let k = 0;
      for (const c of chunks)
        for (let j = 0; j < this.batchSize; j++) order[k++] = c * this.batchSize + j;
      for (let i = full * this.batchSize; i < n; i++) order[k++] = i;
      this.order = order;
    } else {
      this.order = this.rng.permutation(n);
    }
  }

  /** Releases the tensors this Sequence made from the arrays it was given. */
  dispose(): void {
    for (const t of [
      ...leaves(this.x),
      ...(this.y ? leaves(this.y) : []),
      ...(this.sw ? [this.sw] : []),
    ]) {
      t.dispose();
    }
  }
}

/** `arrayBatches(x, y, {batchSize, shuffle})`: arrays as a Sequence of batches. */
export function arrayBatches(
  x: Structure,
  y?: Structure | null,
  options: ArrayBatchesOptions = {},
): ArraySequence {
  return new ArraySequence(x, y, options);
}
