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
  /** The Sequence the threads serve: its threads are kept between epochs and reused. */
  owner?: object;
  workers: number;
  maxQueueSize: number;
  /** Batch indices in the order they are to be yielded. */
  order: number[];
}

/** Threads parked between two epochs of one Sequence; ended after IDLE_MS without use. */
interface Parked {
  workers: Worker[];
  key: string;
  timer: NodeJS.Timeout;
}

const parked = new WeakMap<object, Parked>();
const IDLE_MS = 3000;

function specKey(spec: WorkerSpec, workers: number): string {
  return `${spec.moduleUrl}#${spec.exportName ?? 'default'}x${workers}`;
}

/** Ends the threads a Sequence keeps between epochs (they also end by themselves when idle). */
export async function closeParkedWorkers(owner: object): Promise<void> {
  const p = parked.get(owner);
  if (!p) return;
  parked.delete(owner);
  clearTimeout(p.timer);
  await Promise.all(p.workers.map((w) => w.terminate()));
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

  private completed = false;
  private readonly listeners = new Map<
    Worker,
    { message: (r: Reply) => void; error: (e: Error) => void; exit: (c: number) => void }
  >();

  async *batches(): AsyncGenerator<Batch> {
    const { order, workers, owner, spec } = this.options;
    const count = Math.min(workers, Math.max(order.length, 1));
    const key = specKey(spec, count);
    try {
      const reuse = owner ? parked.get(owner) : undefined;
      if (owner && reuse && reuse.key === key) {
        // Thread start-up (importing tfjs and the user's module) costs far more than a batch:
        // reuse last epoch's threads, rebuilding only the Sequence instance.
        parked.delete(owner);
        clearTimeout(reuse.timer);
        reuse.workers.forEach((w, i) => {
          w.ref();
          this.adopt(w, i);
          w.postMessage({ type: 'reset', args: spec.args });
        });
      } else {
        if (owner && reuse) await closeParkedWorkers(owner);
        const script = workerScript();
        for (let w = 0; w < count; w++) this.spawn(script, w);
      }
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
      this.completed = true;
    } finally {
      if (this.completed && owner && !this.failure) this.park(owner, key);
      else await this.close();
    }
  }

  private spawn(script: URL, id: number) {
    const worker = new Worker(script, { workerData: { spec: this.options.spec } });
    WorkerPool.liveThreads++;
    worker.on('exit', () => {
      WorkerPool.liveThreads--;
    });
    this.adopt(worker, id);
  }

  private adopt(worker: Worker, id: number) {
    this.threads.push(worker);
    this.idle.push(worker);
    this.threadIds.set(worker, id);
    const l = {
      message: (reply: Reply) => this.onReply(worker, reply),
      error: (err: Error) => this.fail(worker, err),
      exit: (code: number) => {
        if (!this.closed && code !== 0) {
          this.fail(worker, new Error(`the worker thread exited with code ${code}`));
        }
      },
    };
    this.listeners.set(worker, l);
    worker.on('message', l.message);
    worker.on('error', l.error);
    worker.on('exit', l.exit);
  }

  /** Hands the threads back to their Sequence for the next epoch, unreferenced. */
  private park(owner: object, key: string) {
    this.closed = true;
    for (const [w, l] of this.listeners) {
      w.off('message', l.message);
      w.off('error', l.error);
      w.off('exit', l.exit);
      w.unref();
    }
    const workers = [...this.threads];
    const timer = setTimeout(() => void closeParkedWorkers(owner), IDLE_MS);
    timer.unref();
    parked.set(owner, { workers, key, timer });
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
