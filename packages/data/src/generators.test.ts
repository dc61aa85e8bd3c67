import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchesOf, prefetch } from './generators.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

describe('generator adapters', () => {
  beforeAll(() => ensureBackend());

  it("adapts the seed's generator yielding [x, {output1, output2}]", async () => {
    function* batchGenerator() {
      for (let i = 0; i < 3; i++)
        yield [tf.ones([2, 4]), { output1: tf.zeros([2, 1]), output2: tf.ones([2, 1]) }];
    }
    const batches = await collect(batchesOf(batchGenerator()));
    expect(batches.length).toBe(3);
    expect(Object.keys(batches[0]?.[1] as object)).toEqual(['output1', 'output2']);
    for (const [x, y] of batches)
      tf.dispose([x as tf.Tensor, ...Object.values(y as Record<string, tf.Tensor>)]);
  });

  it('adapts async generators, iterables and Sequence-likes', async () => {
    async function* gen() {
      yield [[1], [2]];
      yield [[3], [4], [1]];
    }
    expect((await collect(batchesOf(gen()))).length).toBe(2);
    expect((await collect(batchesOf([[[1], [2]]]))).length).toBe(1);
    const seqLike = { length: 2, getItem: (i: number) => [[i], [i]] };
    expect((await collect(batchesOf(seqLike))).map((b) => b[0])).toEqual([[0], [1]]);
  });

  it('names the index of a malformed element and rethrows generator errors', async () => {
    function* bad() {
      yield [[1], [2]];
      yield 42;
    }
    await expect(collect(batchesOf(bad(), 'batchGenerator'))).rejects.toThrow(
      'batchGenerator returned an invalid element at index 1',
    );
    function* throws() {
      yield [[1], [2]];
      throw new Error('disk on fire');
    }
    await expect(collect(batchesOf(throws()))).rejects.toThrow('disk on fire');
  });

  it('prefetch pulls ahead but never more than maxQueueSize', async () => {
    let produced = 0;
    async function* counting() {
      for (let i = 0; i < 20; i++) {
        produced++;
        yield i;
      }
    }
    const it = prefetch(counting(), { maxQueueSize: 3 })[Symbol.asyncIterator]();
    expect((await it.next()).value).toBe(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(produced).toBeLessThanOrEqual(5);
    expect(produced).toBeGreaterThanOrEqual(2);
    await it.return?.(undefined);
    expect(await collect(prefetch(counting(), { maxQueueSize: 4 }))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    await expect(prefetch(counting(), { maxQueueSize: 0 }).next()).rejects.toThrow(
      'maxQueueSize=0',
    );
  });
});
