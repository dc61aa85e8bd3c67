import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerSpec } from '../sequence.js';
import type { Batch } from '../types.js';
import { validateBatch } from '../validate.js';
import { decodeBatch, disposeBatch } from './transfer.js';

/** The compiled worker script (tests run from src/, the worker always runs built JS). */
function workerScript(): URL {
  const url = import.meta.url.endsWith('.ts')
    ? new URL('../../dist/workers/worker-entry.js', import.meta.url)
    : new URL('./worker-entry.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(
      `The data worker script is missing at ${fileURLToPath(url)}: build @keras-ts/data first.`,
    );
  }
  return url;
}

export interface WorkerPoolOptions {
  spec: WorkerSpec;
  workers: number;
  maxQueueSize: number;
  /** Batch indices in the order they are to be yielded. */
  order: number[];
}

type Reply =
  | { type: 'batch'; seq: number; index: number; batch: unknown }
  | { type: 'error'; seq: number; index: number; message: string; stack?: string };

/**
 * N worker threads preparing batches of one epoch. Requests go to whichever worker is free; the
 * results are yielded in `order`, so the output is the same whatever the timing. At most
 * `maxQueueSize` batches are requested ahead of the consumer (backpressure).
 */
export class WorkerPool {
  /** Worker threads alive across all pools (tests check that none outlive their epoch). */
  static liveThreads = 0;

  private readonly threads: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly ready = new Map<number, Batch>();
  private nextToRequest = 0;
  private consumed = 0;
  private failure: Error | null = null;
  private closed = false;
  private wake: (() => void) | null = null;
  private readonly threadIds = new Map<Worker, number>();
  private readonly busyWith = new Map<Worker, number>();

  constructor(private readonly options: WorkerPoolOptions) {}

  async *batches(): AsyncGenerator<Batch> {
    const { order, workers } = this.options;
    const script = workerScript();
    try {
      for (let w = 0; w < Math.min(workers, Math.max(order.length, 1)); w++) this.spawn(script, w);
      for (let seq = 0; seq < order.length; seq++) {
        this.pump();
        while (!this.ready.has(seq)) {
          if (this.failure) throw this.failure;
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
        if (this.failure) throw this.failure;
        const batch = this.ready.get(seq) as Batch;
        this.ready.delete(seq);
        this.consumed = seq + 1;
        this.pump();
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  private spawn(script: URL, id: number) {
    const worker = new Worker(script, { workerData: { spec: this.options.spec } });
    this.threads.push(worker);
    this.idle.push(worker);
    this.threadIds.set(worker, id);
    worker.on('message', (reply: Reply) => this.onReply(worker, reply));
    worker.on('error', (err) => this.fail(worker, err));
    WorkerPool.liveThreads++;
    worker.on('exit', (code) => {
      WorkerPool.liveThreads--;
      if (!this.closed && code !== 0) {
        this.fail(worker, new Error(`the worker thread exited with code ${code}`));
      }
    });
  }

  /** Requests batches while fewer than maxQueueSize are requested but not yet consumed. */
  private pump() {
    const { order, maxQueueSize, workers } = this.options;
    const limit = Math.max(maxQueueSize, workers);
    while (
      !this.failure &&
      this.idle.length > 0 &&
      this.nextToRequest < order.length &&
      this.nextToRequest - this.consumed < limit
    ) {
      const worker = this.idle.shift() as Worker;
      const seq = this.nextToRequest++;
      this.busyWith.set(worker, order[seq] as number);
      worker.postMessage({ type: 'get', seq, index: order[seq] });
    }
  }

  private onReply(worker: Worker, reply: Reply) {
    this.busyWith.delete(worker);
    if (this.closed) {
      if (reply.type === 'batch') disposeBatch(decodeBatch(reply.batch));
      return;
    }
    if (reply.type === 'error') {
      const err = new Error(
        `Sequence.getItem(${reply.index}) failed in data worker ${this.threadIds.get(worker)}: ${reply.message}`,
      );
      if (reply.stack) err.stack = `${err.message}\n--- worker stack ---\n${reply.stack}`;
      this.fail(worker, err, true);
      return;
    }
    try {
      const decoded = decodeBatch(reply.batch);
      this.ready.set(
        reply.seq,
        validateBatch(decoded, { source: 'Sequence.getItem', index: reply.index }),
      );
    } catch (err) {
      this.fail(worker, err as Error, true);
      return;
    }
    this.idle.push(worker);
    this.pump();
    this.wake?.();
  }

  private fail(worker: Worker, err: Error, formatted = false) {
    if (this.failure || this.closed) return;
    const index = this.busyWith.get(worker);
    this.failure = formatted
      ? err
      : new Error(
          `Data worker ${this.threadIds.get(worker)} died${index === undefined ? '' : ` while preparing batch ${index}`}: ${err.message}`,
        );
    this.wake?.();
  }

  /** Ends every worker and disposes batches that were prepared but never consumed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const batch of this.ready.values()) disposeBatch(batch);
    this.ready.clear();
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}
