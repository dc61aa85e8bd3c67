/**
 * Synchronous all-reduce for replicas in worker threads, over one SharedArrayBuffer: every
 * replica writes its (already weighted) vector into its own segment, waits at a barrier, then
 * sums all segments in the same order, so every replica ends with bit-identical sums. Segments
 * alternate between two banks by step parity, so a fast replica writing step k+1 never
 * overwrites what a slow one still reads for step k.
 */

const GENERATION = 0;
const ARRIVED = 1;
const ABORT = 2;
const COMMITTED = 3;
const CONTROL_INTS = 4;

export class ReplicaAbortedError extends Error {
  constructor() {
    super('The data-parallel step was aborted because another replica failed.');
    this.name = 'ReplicaAbortedError';
  }
}

/** The shared memory of one parallel model (made by the main thread, sent to each worker). */
export interface AllReduceBuffers {
  control: SharedArrayBuffer;
  /** 2 banks x replicas x length float32 values. */
  segments: SharedArrayBuffer;
  /** 2 slots x weightLength float32: the weights of the last completed step (double-buffered). */
  weights: SharedArrayBuffer;
  replicas: number;
  length: number;
  weightLength: number;
}

export function createAllReduceBuffers(
  replicas: number,
  length: number,
  weightLength: number,
): AllReduceBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_INTS * 4),
    segments: new SharedArrayBuffer(2 * replicas * Math.max(length, 1) * 4),
    weights: new SharedArrayBuffer(2 * Math.max(weightLength, 1) * 4),
    replicas,
    length,
    weightLength,
  };
}

export class AllReduce {
  private readonly control: Int32Array;
  private readonly segments: Float32Array;
  private readonly weights: Float32Array;
  private step = 0;

  constructor(
    private readonly buffers: AllReduceBuffers,
    private readonly rank: number,
  ) {
    this.control = new Int32Array(buffers.control);
    this.segments = new Float32Array(buffers.segments);
    this.weights = new Float32Array(buffers.weights);
  }

  /**
   * Adds `local * scale` across replicas. Blocks (Atomics.wait) until every replica has
   * contributed; throws ReplicaAbortedError if the main thread aborts the step.
   */
  sum(local: Float32Array, scale: number): Float32Array {
    const { replicas, length } = this.buffers;
    if (local.length !== length) {
      throw new Error(
        `all-reduce expected a vector of ${length} values. Received: ${local.length}`,
      );
    }
    const bank = (this.step++ % 2) * replicas * length;
    const mine = this.segments.subarray(bank + this.rank * length, bank + (this.rank + 1) * length);
    for (let i = 0; i < length; i++) mine[i] = (local[i] as number) * scale;
    this.barrier();
    const out = new Float32Array(length);
    for (let r = 0; r < replicas; r++) {
      const seg = this.segments.subarray(bank + r * length, bank + (r + 1) * length);
      for (let i = 0; i < length; i++) out[i] = (out[i] as number) + (seg[i] as number);
    }
    return out;
  }

  /** Waits until all replicas arrive (a sense-reversing barrier on the generation counter). */
  barrier(): void {
    const c = this.control;
    const gen = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.buffers.replicas - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    while (Atomics.load(c, GENERATION) === gen) {
      if (Atomics.load(c, ABORT) !== 0) throw new ReplicaAbortedError();
      Atomics.wait(c, GENERATION, gen, 50);
    }
  }

  /** Publishes the weights of a completed step into the free slot, then flips the slot. */
  commitWeights(values: Float32Array): void {
    const { weightLength } = this.buffers;
    const committed = Atomics.load(this.control, COMMITTED);
    const free = committed === 0 ? 1 : 0;
    this.weights.set(values.subarray(0, weightLength), free * weightLength);
    Atomics.store(this.control, COMMITTED, free);
  }
}

/** Main-thread view: abort a step, read the last committed weights. */
export class AllReduceHost {
  private readonly control: Int32Array;
  private readonly weights: Float32Array;

  constructor(private readonly buffers: AllReduceBuffers) {
    this.control = new Int32Array(buffers.control);
    this.weights = new Float32Array(buffers.weights);
  }

  abort(): void {
    Atomics.store(this.control, ABORT, 1);
    Atomics.add(this.control, GENERATION, 0);
    Atomics.notify(this.control, GENERATION);
  }

  /** Clears an abort and the barrier, before replicas are reused. */
  reset(): void {
    Atomics.store(this.control, ABORT, 0);
    Atomics.store(this.control, ARRIVED, 0);
  }

  /** Copies the weights of the last step a replica committed. */
  committedWeights(): Float32Array {
    const { weightLength } = this.buffers;
    const slot = Atomics.load(this.control, COMMITTED);
    return this.weights.slice(slot * weightLength, (slot + 1) * weightLength);
  }
}
