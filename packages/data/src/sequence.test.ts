import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sequence, type WorkerSpec } from './sequence.js';
import type { Batch } from './types.js';
import { WorkerPool } from './workers/pool.js';

const fixture = new URL('./workers/test-fixtures/squares.mjs', import.meta.url).href;

/** The same Sequence inline and, through workerSpec, in worker threads. */
class Squares extends Sequence {
  constructor(private readonly args: { n?: number; failAt?: number; crashAt?: number } = {}) {
    super();
  }
  get length() {
    return this.args.n ?? 8;
  }
  getItem(i: number): Batch {
    if (i === this.args.failAt) throw new Error(`bad batch ${i}`);
    return [tf.tensor2d([[i, i + 0.5]]), { out: tf.tensor2d([[i * i]]) }];
  }
  override workerSpec(): WorkerSpec {
    return { moduleUrl: fixture, exportName: 'Squares', args: this.args };
  }
}

async function firstColumn(it: AsyncIterable<Batch>): Promise<number[]> {
  const seen: number[] = [];
  for await (const [x, y] of it) {
    const xv = (x as tf.Tensor).dataSync();
    const out = (y as Record<string, tf.Tensor>).out as tf.Tensor;
    expect(out.dataSync()[0]).toBe((xv[0] as number) ** 2);
    seen.push(xv[0] as number);
    tf.dispose([x as tf.Tensor, out]);
  }
  return seen;
}

describe('Sequence', () => {
  beforeAll(() => ensureBackend());

  it('yields every batch in index order without workers', async () => {
    expect(await firstColumn(new Squares().createEpochIterator())).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('shuffles deterministically for a seed, differently per epoch', async () => {
    const s = new Squares({ n: 16 });
    const a = await firstColumn(s.createEpochIterator({ shuffle: true, seed: 7, epoch: 0 }));
    const b = await firstColumn(s.createEpochIterator({ shuffle: true, seed: 7, epoch: 0 }));
    const c = await firstColumn(s.createEpochIterator({ shuffle: true, seed: 7, epoch: 1 }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('gives the same order with 2 workers as inline, and ends its threads', async () => {
    const s = new Squares({ n: 12 });
    const before = tf.memory().numTensors;
    const inline = await firstColumn(s.createEpochIterator({ shuffle: true, seed: 3 }));
    const threaded = await firstColumn(
      s.createEpochIterator({ shuffle: true, seed: 3, workers: 2, maxQueueSize: 3 }),
    );
    expect(threaded).toEqual(inline);
    // The threads are kept for the next epoch and reused, not started again.
    expect(WorkerPool.liveThreads).toBe(2);
    const again = await firstColumn(s.createEpochIterator({ shuffle: true, seed: 3, workers: 2 }));
    expect(again).toEqual(inline);
    expect(WorkerPool.liveThreads).toBe(2);
    await s.closeWorkers();
    await new Promise((r) => setTimeout(r, 50));
    expect(WorkerPool.liveThreads).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops the workers when the consumer breaks early, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    let taken = 0;
    for await (const batch of new Squares({ n: 50 }).createEpochIterator({
      workers: 2,
      maxQueueSize: 4,
    })) {
      tf.dispose([batch[0] as tf.Tensor, (batch[1] as Record<string, tf.Tensor>).out as tf.Tensor]);
      if (++taken === 3) break;
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(WorkerPool.liveThreads).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects with the error of a worker whose getItem throws, naming the index', async () => {
    const it = new Squares({ failAt: 5 }).createEpochIterator({ workers: 2 });
    await expect(firstColumn(it)).rejects.toThrow(
      /getItem\(5\) failed in data worker \d: bad batch 5/,
    );
    expect(WorkerPool.liveThreads).toBe(0);
  });

  it('rejects within seconds when a worker dies', async () => {
    const it = new Squares({ crashAt: 2 }).createEpochIterator({ workers: 2 });
    await expect(firstColumn(it)).rejects.toThrow(
      /died while preparing batch 2: the worker thread exited with code 3/,
    );
    expect(WorkerPool.liveThreads).toBe(0);
  });

  it('rejects inline getItem errors and wrong structures with the index', async () => {
    await expect(firstColumn(new Squares({ failAt: 1 }).createEpochIterator())).rejects.toThrow(
      'bad batch 1',
    );
    class Wrong extends Sequence {
      get length() {
        return 3;
      }
      getItem(i: number): Batch {
        return (i === 2 ? { x: 1 } : [tf.zeros([1, 2]), tf.zeros([1, 1])]) as unknown as Batch;
      }
    }
    const drain = async () => {
      for await (const b of new Wrong().createEpochIterator()) tf.dispose(b as tf.Tensor[]);
    };
    await expect(drain()).rejects.toThrow(
      /Wrong\.getItem returned an invalid element at index 2: expected a batch \[x, y\]/,
    );
  });

  it('explains how to make a Sequence worker-ready', () => {
    class Plain extends Sequence {
      get length() {
        return 1;
      }
      getItem(): Batch {
        return [[1]];
      }
    }
    expect(() => new Plain().createEpochIterator({ workers: 2 })).toThrow(
      /Override workerSpec\(\)/,
    );
    expect(() => new Plain().createEpochIterator({ workers: -1 })).toThrow('Received: workers=-1');
  });
});
