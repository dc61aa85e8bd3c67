import { AllReduceHost, createAllReduceBuffers } from './allreduce.js';
import type { ReplicaDevice } from './devices.js';
import type { HostArray, OkReply, ReplicaRequest, RequestBody } from './protocol.js';
import { type ReplicaError, ReplicaPool } from './replica-pool.js';

/** What a compile request carries for the transport's all-reduce. */
export type CompileExtras = Pick<
  Extract<ReplicaRequest, { type: 'compile' }>,
  'buffers' | 'reduceLength'
>;

/**
 * How ParallelModel reaches its replicas, whatever they run in (worker threads or child
 * processes): requests and replies, the all-reduce set-up, and the weights of the last
 * completed step for the template.
 *
 * Failure semantics (both transports): the first replica failure fails every pending and later
 * request with a ReplicaError naming the replica's device; replicas waiting in the all-reduce
 * are released without applying the step; every replica is then ended.
 */
export interface ReplicaTransport {
  readonly devices: ReplicaDevice[];
  readonly size: number;
  readonly failed: ReplicaError | null;
  request(rank: number, body: RequestBody, transfer?: HostArray[]): Promise<OkReply>;
  all(body: RequestBody): Promise<OkReply[]>;
  /** Sets up the all-reduce of a vector of `reduceLength` values, weights of `weightLength`. */
  prepareCompile(reduceLength: number, weightLength: number): CompileExtras;
  /** The replicas' weights were replaced (setWeights): steps before that are not to be synced. */
  discardCommitted(): void;
  /**
   * The weights of the last completed step, flat in `template.weights` order, or null when no
   * step completed since the last call (the template is up to date).
   */
  committedWeights(): Promise<Float32Array | null>;
  /** The same without waiting, where the transport can (threads); undefined where it cannot. */
  committedWeightsNow(): Float32Array | null | undefined;
  close(): Promise<void>;
}

/**
 * Replicas in worker threads: the all-reduce and the committed weights live in shared memory,
 * so the template reads the last completed step synchronously, even after a failure.
 */
export class ThreadTransport implements ReplicaTransport {
  private readonly pool: ReplicaPool;
  private host: AllReduceHost | null = null;
  private syncedSteps = 0;

  constructor(devices: ReplicaDevice[], backend: 'wasm' | 'cpu') {
    // Replicas blocked at the all-reduce barrier are released by the abort flag.
    this.pool = new ReplicaPool(devices, () => this.host?.abort(), backend);
  }

  get devices(): ReplicaDevice[] {
    return this.pool.devices;
  }

  get size(): number {
    return this.pool.size;
  }

  get failed(): ReplicaError | null {
    return this.pool.failed;
  }

  request(rank: number, body: RequestBody, transfer: HostArray[] = []): Promise<OkReply> {
    return this.pool.request(rank, body, transfer);
  }

  all(body: RequestBody): Promise<OkReply[]> {
    return this.pool.all(body);
  }

  prepareCompile(reduceLength: number, weightLength: number): CompileExtras {
    const buffers = createAllReduceBuffers(this.pool.size, reduceLength, weightLength);
    this.host = new AllReduceHost(buffers);
    this.syncedSteps = 0;
    return { buffers };
  }

  discardCommitted(): void {
    this.syncedSteps = this.host?.committedSteps ?? 0;
  }

  committedWeightsNow(): Float32Array | null {
    // The slot counts steps whose weights every replica published; nothing new, nothing to copy
    // (and a setWeights since the last step is not overwritten with older values).
    const steps = this.host?.committedSteps ?? 0;
    if (!this.host || steps === this.syncedSteps) return null;
    this.syncedSteps = steps;
    return this.host.committedWeights();
  }

  committedWeights(): Promise<Float32Array | null> {
    return Promise.resolve(this.committedWeightsNow());
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
