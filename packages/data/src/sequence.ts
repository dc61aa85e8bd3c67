import { epochSeed, randomSeed, SeededRandom } from './random.js';
import type { Batch, EpochIteratorOptions } from './types.js';
import { validateBatch } from './validate.js';
import { closeParkedWorkers, WorkerPool } from './workers/pool.js';

/** How a worker thread rebuilds a Sequence: the module that exports its class, and its args. */
export interface WorkerSpec {
  /** URL or absolute path of an ES module a worker can import (usually `import.meta.url`). */
  moduleUrl: string;
  /** Name of the exported Sequence subclass (default `'default'`). */
  exportName?: string;
  /** Structured-cloneable constructor argument. */
  args?: unknown;
}

/**
 * `keras.utils.Sequence`: a dataset indexed by batch. Subclasses give `length` and
 * `getItem(i)`; `onEpochEnd` runs after each epoch. Safe to prepare in worker threads because
 * every batch is addressed by its index, so the order stays deterministic.
 */
export abstract class Sequence {
  /** Number of batches in an epoch. */
  abstract get length(): number;

  /** The batch at `index`: `[x, y]` or `[x, y, sampleWeight]`. May be async. */
  abstract getItem(index: number): Batch | Promise<Batch>;

  /** Called after every epoch (shuffle your data here if you like). */
  onEpochEnd(): void | Promise<void> {}

  /**
   * How a worker thread can construct this Sequence. Needed only for `workers > 0`; worker
   * threads share no objects with the main thread, so they rebuild the Sequence from its module.
   */
  workerSpec(): WorkerSpec {
    throw new Error(
      `${this.constructor.name} cannot run in worker threads: a worker must rebuild it from its ` +
        `module. Override workerSpec() to return { moduleUrl: import.meta.url, exportName: ` +
        `'${this.constructor.name}', args } (args structured-cloneable), or use workers: 0.`,
    );
  }

  /**
   * The batches of one epoch, in order (shuffled by a seed when asked), prepared up to
   * `maxQueueSize` ahead, in `workers` worker threads when `workers > 0`. Breaking out of the
   * loop, or an error, stops the workers.
   */
  createEpochIterator(options: EpochIteratorOptions = {}): AsyncIterable<Batch> {
    const { epoch = 0, workers = 0, maxQueueSize = 10, shuffle = false } = options;
    const seed = options.seed ?? randomSeed();
    if (!Number.isInteger(workers) || workers < 0) {
      throw new Error(
        `Expected workers to be a non-negative integer. Received: workers=${workers}`,
      );
    }
    if (!Number.isInteger(maxQueueSize) || maxQueueSize < 1) {
      throw new Error(
        `Expected maxQueueSize to be a positive integer. Received: maxQueueSize=${maxQueueSize}`,
      );
    }
    const n = this.length;
    const order = shuffle
      ? new SeededRandom(epochSeed(seed, epoch)).permutation(n)
      : Int32Array.from({ length: n }, (_, i) => i);
    if (workers > 0) {
      const spec = this.workerSpec();
      return {
        [Symbol.asyncIterator]: () =>
          new WorkerPool({
            spec,
            workers,
            maxQueueSize,
            order: Array.from(order),
            owner: this,
          }).batches(),
      };
    }
    return { [Symbol.asyncIterator]: () => this.inlineBatches(order, maxQueueSize) };
  }

  /**
   * Ends the worker threads kept for the next epoch. They end by themselves after 3 s without
   * use and never keep the process alive; this ends them now.
   */
  closeWorkers(): Promise<void> {
    return closeParkedWorkers(this);
  }

  private async *inlineBatches(order: Int32Array, maxQueueSize: number): AsyncGenerator<Batch> {
    // getItem may be async (I/O); keep up to maxQueueSize of them in flight.
    const pending: Promise<Batch>[] = [];
    let next = 0;
    const source = `${this.constructor.name}.getItem`;
    const start = () => {
      const index = order[next++] as number;
      pending.push(
        Promise.resolve()
          .then(() => this.getItem(index))
          .then((b) => validateBatch(b, { source, index })),
      );
    };
    try {
      while (next < order.length && pending.length < maxQueueSize) start();
      while (pending.length > 0) {
        const batch = await (pending.shift() as Promise<Batch>);
        if (next < order.length) start();
        yield batch;
      }
    } finally {
      // Unawaited rejections of abandoned batches must not crash the process.
      for (const p of pending) p.catch(() => {});
    }
  }
}
