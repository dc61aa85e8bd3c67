import type * as tf from '@tensorflow/tfjs-core';
import { collectOwned, watermark } from './ownership.js';
import { randomPermutation } from './permutation.js';
import { flattenStructure, isTensor, mapStructure, type Structure, toTensor } from './structure.js';
import {
  type Batch,
  type DataAdapter,
  isAsyncIterable,
  isIterator,
  isSequenceLike,
  type SequenceLike,
} from './types.js';

/** How one yielded item splits into x, y and sample weights (the model decides). */
export type ItemParser = (item: unknown) => {
  x: Structure<unknown>;
  y: Structure<unknown> | null;
  sampleWeight: Structure<unknown> | null;
};

export interface GeneratorAdapterArgs {
  source: unknown;
  parse: ItemParser;
  shuffle?: boolean;
  workers?: number;
  maxQueueSize?: number;
}

/**
 * Batches from a Sequence-like, a generator, an async generator or an iterable of batches.
 * Sequences and iterables restart every epoch; a generator is one stream that later epochs
 * continue, as in Keras. Tensors the source creates for a batch are disposed after its step.
 */
export class GeneratorDataAdapter implements DataAdapter {
  readonly numBatches: number | null;
  readonly restartable: boolean;
  private readonly args: GeneratorAdapterArgs;
  private stream: Iterator<unknown> | AsyncIterator<unknown> | null = null;
  /** Set when a generator ran dry: the fit loop stops, warning like Keras. */
  exhausted = false;

  constructor(args: GeneratorAdapterArgs) {
    this.args = args;
    const src = args.source;
    if (isSequenceLike(src)) {
      this.numBatches = src.length;
      this.restartable = true;
    } else if (isIterator(src)) {
      this.numBatches = null;
      this.restartable = false;
      this.stream = src;
    } else if (
      isAsyncIterable(src) ||
      (typeof src === 'object' && src !== null && Symbol.iterator in src)
    ) {
      this.numBatches = Array.isArray(src) ? src.length : null;
      this.restartable = true;
    } else {
      throw new Error(
        'Expected a generator, an async generator, a Sequence-like ({ length, getItem(i) }) or an ' +
          `iterable of batches. Received: ${String(src)}`,
      );
    }
  }

  private convert(item: unknown, mark: number): Batch {
    const parsed = this.args.parse(item);
    const owned = new Set<tf.Tensor>();
    const conv = (v: unknown, what: string): tf.Tensor => {
      const { t, owned: made } = toTensor(v, what);
      if (made) owned.add(t);
      return t;
    };
    const x = mapStructure(parsed.x, (v, k) => conv(v, `x${k ? `[${k}]` : ''}`));
    const y =
      parsed.y === null ? null : mapStructure(parsed.y, (v, k) => conv(v, `y${k ? `[${k}]` : ''}`));
    const sampleWeight =
      parsed.sampleWeight === null
        ? null
        : mapStructure(parsed.sampleWeight, (v) => conv(v, 'sample_weight'));
    const yielded = [
      ...flattenStructure(x),
      ...flattenStructure(y),
      ...flattenStructure(sampleWeight),
    ];
    collectOwned(yielded.filter(isTensor), mark, owned);
    return { x, y, sampleWeight, owned };
  }

  async *epochBatches({
    epoch,
    steps,
  }: {
    epoch: number;
    steps: number | null;
  }): AsyncIterable<Batch> {
    const src = this.args.source;
    if (isSequenceLike(src)) {
      yield* this.fromSequence(src, epoch, steps);
      return;
    }
    let it = this.restartable ? null : this.stream;
    if (it === null) {
      const iterable = src as AsyncIterable<unknown> | Iterable<unknown>;
      it = isAsyncIterable(iterable)
        ? iterable[Symbol.asyncIterator]()
        : (iterable as Iterable<unknown>)[Symbol.iterator]();
    }
    for (let s = 0; steps === null || s < steps; s++) {
      const mark = watermark();
      const r = await it.next();
      if (r.done) {
        // Running dry before `steps` is the "ran out of data" case; without steps it ends the epoch.
        if (steps !== null) this.exhausted = true;
        if (this.restartable) this.stream = null;
        return;
      }
      yield this.convert(r.value, mark);
    }
  }

  private async *fromSequence(
    seq: SequenceLike,
    epoch: number,
    steps: number | null,
  ): AsyncIterable<Batch> {
    const total = steps ?? seq.length;
    if (seq.createEpochIterator) {
      // Prefetching makes batches ahead of the pull, so ownership counts from the epoch start.
      const epochMark = watermark();
      const iterable = seq.createEpochIterator({
        epoch,
        workers: this.args.workers,
        maxQueueSize: this.args.maxQueueSize,
        shuffle: this.args.shuffle ?? false,
      });
      const it = iterable[Symbol.asyncIterator]();
      try {
        for (let s = 0; s < total; s++) {
          const r = await it.next();
          if (r.done) return;
          yield this.convert(r.value, epochMark);
        }
      } finally {
        await it.return?.();
      }
      return;
    }
    const n = seq.length;
    const order = this.args.shuffle
      ? randomPermutation(n)
      : Int32Array.from({ length: n }, (_, i) => i);
    for (let s = 0; s < total; s++) {
      const mark = watermark();
      const item = await seq.getItem(order[s % n] as number);
      yield this.convert(item, mark);
    }
  }

  async onEpochEnd(): Promise<void> {
    const src = this.args.source;
    if (isSequenceLike(src) && src.onEpochEnd) await src.onEpochEnd();
  }

  dispose(): void {}
}
