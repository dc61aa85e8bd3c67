import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { AllReduceHost, createAllReduceBuffers, shareOut } from './allreduce.js';

const script = new URL('./test-fixtures/allreduce-worker.mjs', import.meta.url);

type Reply = { ok: true; results: number[][] } | { ok: false; name: string; message: string };

function start(workerData: object): {
  worker: Worker;
  reply: Promise<Reply>;
  exit: Promise<number>;
} {
  const worker = new Worker(script, { workerData });
  const reply = new Promise<Reply>((resolve) => worker.once('message', resolve));
  const exit = new Promise<number>((resolve) => worker.once('exit', resolve));
  return { worker, reply, exit };
}

describe('all-reduce over SharedArrayBuffer', () => {
  it('gives every replica the same weighted sum at every step', async () => {
    const replicas = 3;
    const length = 5;
    const steps = 6;
    const buffers = createAllReduceBuffers(replicas, length, 4);
    // Weight value i is published by replica i % 3.
    const owners = [0, 1, 2, 0];
    const runs = Array.from({ length: replicas }, (_, rank) =>
      start({ buffers, rank, steps, dieAt: -1, owners }),
    );
    const replies = await Promise.all(runs.map((r) => r.reply));
    for (const r of replies) {
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      for (let s = 0; s < steps; s++) {
        // sum over ranks of 0.5 * ((rank + 1) * (i + 1) + s) = 0.5 * (6 (i + 1) + 3 s).
        expect(r.results[s]).toBeAllclose(
          Array.from({ length }, (_, i) => 0.5 * (6 * (i + 1) + 3 * s)),
        );
      }
    }
    const host = new AllReduceHost(buffers);
    expect(host.committedSteps).toBe(steps);
    expect(Array.from(host.committedWeights())).toEqual([5, 5, 5, 5]);
    await Promise.all(runs.map((r) => r.exit));
  });

  it('releases waiting replicas with ReplicaAbortedError when the host aborts', async () => {
    const buffers = createAllReduceBuffers(2, 3, 2);
    const host = new AllReduceHost(buffers);
    const owners = [0, 1];
    const survivor = start({ buffers, rank: 0, steps: 5, dieAt: -1, owners });
    const dying = start({ buffers, rank: 1, steps: 5, dieAt: 2, owners });
    expect(await dying.exit).toBe(7);
    host.abort();
    const reply = await survivor.reply;
    expect(reply).toMatchObject({ ok: false, name: 'ReplicaAbortedError' });
    // Steps 0 and 1 completed and were published by both replicas; step 2 never reduced.
    expect(host.committedSteps).toBe(2);
    expect(Array.from(host.committedWeights())).toEqual([1, 1]);
    await survivor.exit;
  });
});

describe('shareOut', () => {
  it('gives each replica about the same number of values, every variable to exactly one', () => {
    // The benchmark CNN's variables: 288, 32, 18432, 64, 204800, 128, 1280, 10.
    const sizes = [288, 32, 18432, 64, 204800, 128, 1280, 10];
    const owner = shareOut(sizes, 2);
    expect(owner).toHaveLength(sizes.length);
    const load = [0, 0];
    for (const [i, r] of owner.entries()) load[r] = (load[r] as number) + (sizes[i] as number);
    // The 204,800-value kernel alone is more than half: it goes to one replica, the rest to the other.
    expect(load).toEqual([204800, 20234]);
    expect(shareOut([5, 5, 5, 5], 4).sort()).toEqual([0, 1, 2, 3]);
    expect(shareOut([1, 2, 3], 1)).toEqual([0, 0, 0]);
  });
});
