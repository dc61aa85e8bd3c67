import * as tf from '@tensorflow/tfjs-core';
import { randomPermutation } from './permutation.js';
import { flattenStructure, mapStructure, type Structure } from './structure.js';
import type { Batch, DataAdapter } from './types.js';

export interface ArrayAdapterArgs {
  x: Structure<tf.Tensor>;
  y: Structure<tf.Tensor> | null;
  sampleWeight: Structure<tf.Tensor> | null;
  batchSize: number;
  /** true: a new sample order every epoch; 'batch': shuffle whole batches; false: in order. */
  shuffle: boolean | 'batch';
  /** Tensors this adapter converted from user arrays; disposed with the adapter. */
  owned?: tf.Tensor[];
}

/** Number of samples: the common first dimension, with Keras's error when they differ. */
export function cardinality(parts: Record<string, Structure<tf.Tensor> | null>): number {
  const sizes: Record<string, number[]> = {};
  for (const [name, s] of Object.entries(parts)) {
    const leaves = flattenStructure(s);
    if (leaves.length > 0)
      sizes[name] = leaves.map((t) => (t.rank === 0 ? 1 : (t.shape[0] as number)));
  }
  const all = new Set(Object.values(sizes).flat());
  if (all.size > 1) {
    const detail = Object.entries(sizes)
      .map(([k, v]) => `'${k}' sizes: ${v.join(', ')}`)
      .join('\n');
    throw new Error(
      `Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.\n${detail}`,
    );
  }
  return all.size === 0 ? 0 : ([...all][0] as number);
}

/**
 * Batches in-memory tensors. Shuffling permutes host-side indices and gathers each batch once
 * (`tf.gather`), so the full dataset is never copied; unshuffled batches are plain slices.
 */
export class ArrayDataAdapter implements DataAdapter {
  readonly numSamples: number;
  readonly numBatches: number;
  readonly restartable = true;
  private readonly args: ArrayAdapterArgs;
  private cursor = 0;
  private order: Int32Array | null = null;

  constructor(args: ArrayAdapterArgs) {
    if (!Number.isInteger(args.batchSize) || args.batchSize <= 0) {
      throw new Error(
        `Expected batchSize to be a positive integer. Received: batchSize=${args.batchSize}`,
      );
    }
    this.args = args;
    this.numSamples = cardinality({ x: args.x, y: args.y, sample_weight: args.sampleWeight });
    this.numBatches = Math.ceil(this.numSamples / args.batchSize);
  }

  async *epochBatches({ steps }: { epoch: number; steps: number | null }): AsyncIterable<Batch> {
    const total = steps ?? this.numBatches;
    // With stepsPerEpoch the pass continues where the last epoch stopped, as Keras's iterator does.
    if (steps === null) this.cursor = 0;
    for (let s = 0; s < total; s++) {
      if (this.cursor % this.numBatches === 0) this.newPass();
      const b = this.cursor % this.numBatches;
      this.cursor += 1;
      yield this.makeBatch(b);
    }
  }

  private newPass(): void {
    const { shuffle, batchSize } = this.args;
    if (shuffle === true) {
      this.order = randomPermutation(this.numSamples);
    } else if (shuffle === 'batch') {
      const batches = randomPermutation(this.numBatches);
      const order = new Int32Array(this.numSamples);
      let k = 0;
      for (const b of batches) {
        const end = Math.min((b + 1) * batchSize, this.numSamples);
        for (let i = b * batchSize; i < end; i++) order[k++] = i;
      }
      this.order = order;
    } else {
      this.order = null;
    }
  }

  private makeBatch(b: number): Batch {
    const { batchSize } = this.args;
    const start = b * batchSize;
    const size = Math.min(batchSize, this.numSamples - start);
    const owned = new Set<tf.Tensor>();
    const order = this.order;
    let take: (t: tf.Tensor) => tf.Tensor;
    if (order) {
      const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
      take = (t) => {
        const out = tf.gather(t, idx);
        owned.add(out);
        return out;
      };
      const batch = this.slice(take, owned);
      idx.dispose();
      return batch;
    }
    take = (t) => {
      const out = tf.slice(t, [start], [size]);
      owned.add(out);
      return out;
    };
    return this.slice(take, owned);
  }

  private slice(take: (t: tf.Tensor) => tf.Tensor, owned: Set<tf.Tensor>): Batch {
    const { x, y, sampleWeight } = this.args;
    return {
      x: mapStructure(x, take),
      y: y === null ? null : mapStructure(y, take),
      sampleWeight: sampleWeight === null ? null : mapStructure(sampleWeight, take),
      owned,
    };
  }

  onEpochEnd(): void {}

  dispose(): void {
    for (const t of this.args.owned ?? []) if (!t.isDisposed) t.dispose();
  }
}

/**
 * Splits array data for `validationSplit`: the last `split` fraction, taken before any
 * shuffling (Keras 3 rounds the training part up).
 */
export function splitTail(
  s: Structure<tf.Tensor> | null,
  numSamples: number,
  split: number,
): [Structure<tf.Tensor> | null, Structure<tf.Tensor> | null, tf.Tensor[]] {
  if (s === null) return [null, null, []];
  const splitAt = Math.ceil(numSamples * (1 - split));
  const made: tf.Tensor[] = [];
  const head = mapStructure(s, (t) => {
    const out = tf.slice(t, [0], [splitAt]);
    made.push(out);
    return out;
  });
  const tail = mapStructure(s, (t) => {
    const out = tf.slice(t, [splitAt], [numSamples - splitAt]);
    made.push(out);
    return out;
  });
  return [head, tail, made];
}
