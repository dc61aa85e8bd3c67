/**
 * Synchronous all-reduce for replicas in worker threads, over one SharedArrayBuffer: every
 * replica writes its vector straight into its own segment, waits at a barrier, then sums all
 * segments in the same order, so every replica ends with bit-identical sums. Segments alternate
 * between two banks by step parity, so a fast replica writing step k+1 never overwrites what a
 * slow one still reads for step k.
 *
 * The weights of each completed step are published into a double-buffered slot, each replica
 * writing its share of the variables (so no replica pays for copying the whole model); the slot
 * flips when the last share of a step lands. A replica only starts writing step k+2's shares into
 * a slot after every replica passed step k+2's barrier, i.e. after step k+1 was fully published,
 * so the slot the host reads is never being written.
 */

const GENERATION = 0;
const ARRIVED = 1;
const ABORT = 2;
const COMMITTED = 3;
const PARTS = 4;
const STEPS = 5;
const CONTROL_INTS = 6;

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

/**
 * Which replica publishes which variable: largest first onto the least-loaded replica, so the
 * shares are about equal. Every replica computes the same assignment from the same sizes.
 */
export function shareOut(sizes: readonly number[], replicas: number): number[] {
  const owner = new Array<number>(sizes.length).fill(0);
  const load = new Array<number>(replicas).fill(0);
  const order = sizes.map((_, i) => i).sort((a, b) => (sizes[b] as number) - (sizes[a] as number));
  for (const i of order) {
    let best = 0;
    for (let r = 1; r < replicas; r++) if ((load[r] as number) < (load[best] as number)) best = r;
    owner[i] = best;
    load[best] = (load[best] as number) + (sizes[i] as number);
  }
  return owner;
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

  private segment(rank: number): Float32Array {
    const { replicas, length } = this.buffers;
    const bank = (this.step % 2) * replicas * length;
    return this.segments.subarray(bank + rank * length, bank + (rank + 1) * length);
  }

  /** Where this replica writes its vector for the next `reduce` (shared memory, no copy). */
  contribution(): Float32Array {
    return this.segment(this.rank);
  }

  /**
   * Scales this replica's contribution by `scale` and returns the sum over replicas. Blocks
   * (Atomics.wait) until every replica has contributed; throws ReplicaAbortedError if the main
   * thread aborts the step.
   */
  reduce(scale: number): Float32Array {
    const { replicas, length } = this.buffers;
    const mine = this.segment(this.rank);
    if (scale !== 1) for (let i = 0; i < length; i++) mine[i] = (mine[i] as number) * scale;
    this.barrier();
    const out = this.segment(0).slice();
    for (let r = 1; r < replicas; r++) {
      const seg = this.segment(r);
      for (let i = 0; i < length; i++) out[i] = (out[i] as number) + (seg[i] as number);
    }
    this.step += 1;
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

  /**
   * Publishes this replica's share of the weights of the step just reduced: `write(slot)` copies
   * the replica's variables into `slot` (the whole weight vector's layout). The slot flips when
   * the last replica's share lands.
   */
  commit(write: (slot: Float32Array) => void): void {
    const { weightLength, replicas } = this.buffers;
    const parity = (this.step - 1) % 2;
    write(this.weights.subarray(parity * weightLength, (parity + 1) * weightLength));
    if (Atomics.add(this.control, PARTS, 1) === replicas - 1) {
      Atomics.store(this.control, PARTS, 0);
      Atomics.store(this.control, COMMITTED, parity);
      Atomics.add(this.control, STEPS, 1);
    }
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

  /** Steps whose weights were fully published. */
  get committedSteps(): number {
    return Atomics.load(this.control, STEPS);
  }

  /** Copies the weights of the last step the replicas committed. */
  committedWeights(): Float32Array {
    const { weightLength } = this.buffers;
    const slot = Atomics.load(this.control, COMMITTED);
    return this.weights.slice(slot * weightLength, (slot + 1) * weightLength);
  }
}
