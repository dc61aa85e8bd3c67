import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { transferList } from './codec.js';
import type { ReplicaDevice } from './devices.js';
import type { HostArray, ReplicaReply, RequestBody } from './protocol.js';

type Pending = { resolve: (r: ReplicaReply & { type: 'ok' }) => void; reject: (e: Error) => void };

/** Error of a replica, naming its device, as `fit` rejects with it. */
export class ReplicaError extends Error {
  constructor(
    readonly device: string,
    message: string,
  ) {
    super(`Replica on ${device} failed: ${message}`);
    this.name = 'ReplicaError';
  }
}

function replicaScript(): URL {
  const url = import.meta.url.endsWith('.ts')
    ? new URL('../dist/replica-worker.js', import.meta.url)
    : new URL('./replica-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    throw new Error(
      `The replica worker script is missing at ${fileURLToPath(url)}: build @keras-ts/multi-gpu first.`,
    );
  }
  return url;
}

/**
 * One worker thread per device, with request/response over postMessage. The first failure of
 * any replica (an error reply, an uncaught error, or the thread exiting) fails every pending
 * request with that replica's error, and `onFailure` runs once so the caller can abort the
 * all-reduce and end the other threads.
 */
export class ReplicaPool {
  private readonly workers: Worker[] = [];
  private readonly pending: Map<number, Pending>[] = [];
  private nextId = 1;
  private failure: ReplicaError | null = null;
  private closing = false;

  constructor(
    readonly devices: ReplicaDevice[],
    private readonly onFailure: (err: ReplicaError) => void,
    backend: 'wasm' | 'cpu' = 'wasm',
  ) {
    const script = replicaScript();
    devices.forEach((device, rank) => {
      const worker = new Worker(script, { workerData: { backend, device: device.name } });
      this.pending.push(new Map());
      worker.on('message', (reply: ReplicaReply) => this.onReply(rank, reply));
      worker.on('error', (err) => this.fail(rank, err.message));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(rank, `its worker thread exited with code ${code}`);
      });
      this.workers.push(worker);
    });
  }

  get size(): number {
    return this.workers.length;
  }

  get failed(): ReplicaError | null {
    return this.failure;
  }

  /** Sends one request to replica `rank`; arrays in `transfer` are moved, not copied. */
  request(
    rank: number,
    body: RequestBody,
    transfer: HostArray[] = [],
  ): Promise<ReplicaReply & { type: 'ok' }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      (this.pending[rank] as Map<number, Pending>).set(id, { resolve, reject });
      (this.workers[rank] as Worker).postMessage({ ...body, id }, transferList(transfer));
    });
  }

  /** The same request to every replica. */
  all(body: RequestBody): Promise<(ReplicaReply & { type: 'ok' })[]> {
    return Promise.all(this.workers.map((_, rank) => this.request(rank, body)));
  }

  private onReply(rank: number, reply: ReplicaReply) {
    const p = this.pending[rank]?.get(reply.id);
    if (!p) return;
    this.pending[rank]?.delete(reply.id);
    if (reply.type === 'ok') p.resolve(reply);
    else if (reply.aborted && this.failure) p.reject(this.failure);
    else {
      this.fail(rank, reply.message);
      p.reject(this.failure as unknown as ReplicaError);
    }
  }

  private fail(rank: number, message: string) {
    if (this.failure || this.closing) return;
    this.failure = new ReplicaError((this.devices[rank] as ReplicaDevice).name, message);
    this.onFailure(this.failure);
    // Replicas blocked in the all-reduce are released by onFailure (abort); give them a moment to
    // answer, then end every thread so nothing hangs.
    setTimeout(() => {
      for (const map of this.pending) {
        for (const p of map.values()) p.reject(this.failure as ReplicaError);
        map.clear();
      }
      void this.close();
    }, 200).unref();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
