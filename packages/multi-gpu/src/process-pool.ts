import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReplicaDevice } from './devices.js';
import { type ReplicaBackend, replicaEnv } from './process-env.js';
import type {
  HostArray,
  OkReply,
  ReduceDown,
  ReduceUp,
  ReplicaReply,
  RequestBody,
} from './protocol.js';
import { ReplicaError } from './replica-pool.js';
import type { CompileExtras, ReplicaTransport } from './transport.js';

type Pending = { resolve: (r: OkReply) => void; reject: (e: Error) => void };

/** How long a surviving replica gets to hand back its weights after a failure. */
const RESCUE_MS = 3000;
/** How long a killed child gets to exit before the pool stops waiting for it. */
const EXIT_MS = 2000;

function processScript(): string {
  const url = import.meta.url.endsWith('.ts')
    ? new URL('../dist/replica-process.js', import.meta.url)
    : new URL('./replica-process.js', import.meta.url);
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    throw new Error(
      `The replica process script is missing at ${path}: build @keras-ts/multi-gpu first.`,
    );
  }
  return path;
}

function timeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/** Concatenates a replica's weights (model.getWeights order) into one vector. */
function flatten(weights: HostArray[]): Float32Array {
  const out = new Float32Array(weights.reduce((s, w) => s + w.data.length, 0));
  let o = 0;
  for (const w of weights) {
    out.set(w.data, o);
    o += w.data.length;
  }
  return out;
}

/**
 * One child process per device (`child_process.fork` with advanced serialization, so typed
 * arrays travel as such), with the same request/response API and failure semantics as the
 * thread pool. The parent is the all-reduce: it collects the N vectors of a step, sums them in
 * rank order (the thread all-reduce's order, so every replica applies bit-identical sums) and
 * sends the sum to every replica.
 *
 * The first failure (an error reply, a child that exits or cannot be started) answers replicas
 * waiting for a sum with an abort, so they throw before applying the step; the weights of the
 * last completed step are then fetched from the first replica still alive, every child is
 * killed, and every pending request rejects with the failing replica's error.
 */
export class ProcessPool implements ReplicaTransport {
  /** The child processes, by rank (tests check that they are gone after a failure). */
  readonly children: ChildProcess[] = [];
  private readonly pending: Map<number, Pending>[] = [];
  private readonly exits: Promise<void>[] = [];
  private readonly exited: boolean[] = [];
  private nextId = 1;
  private failure: ReplicaError | null = null;
  private closing = false;
  private ended: Promise<void> | null = null;
  private rescued: Float32Array | null = null;
  private reduceLength = 0;
  private step = 0;
  private parts: (Float32Array | null)[];
  /** Steps reduced so far, and how many of them the template has. */
  private reduced = 0;
  private syncedAt = 0;

  constructor(
    readonly devices: ReplicaDevice[],
    backend: ReplicaBackend,
    options: { script?: string } = {},
  ) {
    const script = options.script ?? processScript();
    this.parts = devices.map(() => null);
    devices.forEach((device, rank) => {
      const child = fork(script, [backend], {
        serialization: 'advanced',
        env: { ...process.env, ...replicaEnv(device, rank, backend) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.pending.push(new Map());
      this.exited.push(false);
      this.exits.push(
        new Promise((resolve) => {
          child.once('exit', (code, signal) => {
            this.exited[rank] = true;
            resolve();
            if (!this.closing) {
              this.fail(
                rank,
                `its process exited with ${code !== null ? `code ${code}` : `signal ${signal}`}`,
              );
            }
          });
        }),
      );
      child.on('message', (msg: ReplicaReply | ReduceUp) => {
        if (msg.type === 'contribute') this.contribute(rank, msg);
        else this.onReply(rank, msg);
      });
      child.on('error', (err) => this.fail(rank, err.message));
      this.children.push(child);
    });
  }

  get size(): number {
    return this.children.length;
  }

  get failed(): ReplicaError | null {
    return this.failure;
  }

  request(rank: number, body: RequestBody): Promise<OkReply> {
    if (this.failure) return Promise.reject(this.failure);
    return this.send(rank, body);
  }

  all(body: RequestBody): Promise<OkReply[]> {
    return Promise.all(this.children.map((_, rank) => this.request(rank, body)));
  }

  prepareCompile(reduceLength: number): CompileExtras {
    // A (re)compile gives every replica a new link counting steps from 0: so does the parent.
    this.reduceLength = reduceLength;
    this.step = 0;
    this.parts = this.parts.map(() => null);
    return { reduceLength };
  }

  discardCommitted(): void {
    this.syncedAt = this.reduced;
  }

  committedWeightsNow(): undefined {
    // The weights live in the children: reading them needs a round trip.
    return undefined;
  }

  async committedWeights(): Promise<Float32Array | null> {
    if (this.failure) {
      await this.ended;
      const rescued = this.rescued;
      this.rescued = null;
      return rescued;
    }
    if (this.reduced === this.syncedAt) return null;
    const at = this.reduced;
    const reply = await this.request(0, { type: 'getWeights' });
    this.syncedAt = at;
    return flatten(reply.weights ?? []);
  }

  async close(): Promise<void> {
    if (this.failure) {
      await this.ended;
      return;
    }
    this.closing = true;
    // A child exits by itself when its IPC channel closes; one that does not is killed.
    for (const [r, child] of this.children.entries()) {
      if (!this.exited[r] && child.connected) child.disconnect();
    }
    await timeout(Promise.all(this.exits), EXIT_MS, []);
    await this.killAll();
  }

  /** Sends a request without the failure check (the rescue after a failure uses it). */
  private send(rank: number, body: RequestBody): Promise<OkReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      (this.pending[rank] as Map<number, Pending>).set(id, { resolve, reject });
      this.post(rank, { ...body, id });
    });
  }

  private post(rank: number, msg: object): void {
    const child = this.children[rank] as ChildProcess;
    if (!child.connected) {
      this.fail(rank, 'its process is no longer connected');
      return;
    }
    child.send(msg, (err) => {
      if (err) this.fail(rank, `could not send it a message (${err.message})`);
    });
  }

  private contribute(rank: number, msg: ReduceUp): void {
    if (this.failure) {
      this.post(rank, { type: 'abort' } satisfies ReduceDown);
      return;
    }
    if (msg.step !== this.step || msg.data.length !== this.reduceLength) {
      this.fail(
        rank,
        `it sent step ${msg.step}'s all-reduce vector of ${msg.data.length} values; expected step ${this.step} with ${this.reduceLength} values`,
      );
      return;
    }
    this.parts[rank] = msg.data;
    if (this.parts.some((p) => p === null)) return;
    const parts = this.parts as Float32Array[];
    // Rank order, as the thread all-reduce: every replica applies the same float sums.
    const sum = (parts[0] as Float32Array).slice();
    for (let r = 1; r < parts.length; r++) {
      const p = parts[r] as Float32Array;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (p[i] as number);
    }
    this.parts = this.parts.map(() => null);
    const step = this.step;
    this.step += 1;
    this.reduced += 1;
    for (let r = 0; r < this.children.length; r++) {
      this.post(r, { type: 'reduced', step, sum } satisfies ReduceDown);
    }
  }

  private onReply(rank: number, reply: ReplicaReply): void {
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

  private fail(rank: number, message: string): void {
    if (this.failure || this.closing) return;
    this.failure = new ReplicaError((this.devices[rank] as ReplicaDevice).name, message);
    // Replicas waiting for this step's sum throw ReplicaAbortedError instead of applying it;
    // those that have not sent theirs yet get the abort when they do (contribute).
    this.parts.forEach((p, r) => {
      if (p !== null && !this.exited[r]) this.post(r, { type: 'abort' } satisfies ReduceDown);
    });
    this.ended = this.endAfterFailure();
  }

  private async endAfterFailure(): Promise<void> {
    // The survivors were stopped before applying the failed step, so any of them holds the
    // weights of the last completed step: the template takes them from the first one alive.
    if (this.reduced !== this.syncedAt) {
      const survivor = this.children.findIndex((c, r) => !this.exited[r] && c.connected);
      if (survivor >= 0) {
        const reply = await timeout(this.send(survivor, { type: 'getWeights' }), RESCUE_MS, null);
        if (reply?.weights) {
          this.rescued = flatten(reply.weights);
          this.syncedAt = this.reduced;
        }
      }
    }
    this.closing = true;
    await this.killAll();
    for (const map of this.pending) {
      for (const p of map.values()) p.reject(this.failure as ReplicaError);
      map.clear();
    }
  }

  private async killAll(): Promise<void> {
    for (const [r, child] of this.children.entries()) {
      if (!this.exited[r]) child.kill('SIGKILL');
    }
    await timeout(Promise.all(this.exits), EXIT_MS, []);
  }
}
