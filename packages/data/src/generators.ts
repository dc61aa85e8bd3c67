import type { Batch } from './types.js';
import { validateBatch } from './validate.js';

/** Anything Keras 2's `fit_generator` or Keras 3's `fit` take as a stream of batches. */
export type BatchSource =
  | Iterable<unknown>
  | AsyncIterable<unknown>
  | Iterator<unknown>
  | AsyncIterator<unknown>
  | { length: number; getItem(index: number): unknown };

function isSequenceLike(v: unknown): v is { length: number; getItem(index: number): unknown } {
  return (
    typeof v === 'object' &&
    v !== null &&
    'getItem' in v &&
    typeof (v as { getItem: unknown }).getItem === 'function'
  );
}

/**
 * One async iterator of validated batches from a generator, async generator, iterable,
 * iterator or Sequence-like. An error thrown by the source is rethrown with its index.
 */
export async function* batchesOf(source: BatchSource, name = 'generator'): AsyncGenerator<Batch> {
  if (isSequenceLike(source)) {
    for (let i = 0; i < source.length; i++) {
      yield validateBatch(await source.getItem(i), { source: 'Sequence.getItem', index: i });
    }
    return;
  }
  let iterator: Iterator<unknown> | AsyncIterator<unknown>;
  if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  } else if (typeof (source as Iterable<unknown>)[Symbol.iterator] === 'function') {
    iterator = (source as Iterable<unknown>)[Symbol.iterator]();
  } else if (typeof (source as Iterator<unknown>).next === 'function') {
    iterator = source as Iterator<unknown>;
  } else {
    throw new TypeError(
      `Expected a generator, async generator, iterable or Sequence of batches. Received: ${typeof source}`,
    );
  }
  let index = 0;
  try {
    while (true) {
      const step = await iterator.next();
      if (step.done) return;
      yield validateBatch(step.value, { source: name, index });
      index++;
    }
  } finally {
    await iterator.return?.();
  }
}

export interface PrefetchOptions {
  /** How many batches to prepare ahead of the consumer (Keras's `max_queue_size`, default 10). */
  maxQueueSize?: number;
}

/**
 * Pulls up to `maxQueueSize` batches ahead of the consumer, so asynchronous work in the source
 * (I/O, decoding in other threads) overlaps training. Stops pulling when the consumer stops.
 */
export async function* prefetch<T>(
  source: AsyncIterable<T>,
  options: PrefetchOptions = {},
): AsyncGenerator<T> {
  const { maxQueueSize = 10 } = options;
  if (!Number.isInteger(maxQueueSize) || maxQueueSize < 1) {
    throw new Error(
      `Expected maxQueueSize to be a positive integer. Received: maxQueueSize=${maxQueueSize}`,
    );
  }
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  let finished = false;
  const fill = () => {
    while (!finished && queue.length < maxQueueSize) {
      const p = iterator.next();
      p.then(
        (r) => {
          if (r.done) finished = true;
        },
        () => {
          finished = true;
        },
      );
      queue.push(p);
    }
  };
  try {
    fill();
    while (queue.length > 0) {
      const result = await (queue.shift() as Promise<IteratorResult<T>>);
      if (result.done) return;
      fill();
      yield result.value;
    }
  } finally {
    for (const p of queue) p.catch(() => {});
    await iterator.return?.();
  }
}
