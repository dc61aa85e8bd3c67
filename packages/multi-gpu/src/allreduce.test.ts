import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { AllReduceHost, createAllReduceBuffers } from './allreduce.js';

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
    const runs = Array.from({ length: replicas }, (_, rank) =>
      start({ buffers, rank, steps, dieAt: -1 }),
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
    expect(Array.from(new AllReduceHost(buffers).committedWeights())).toEqual([5, 5, 5, 5]);
    await Promise.all(runs.map((r) => r.exit));
  });

  it('releases waiting replicas with ReplicaAbortedError when the host aborts', async () => {
    const buffers = createAllReduceBuffers(2, 3, 2);
    const host = new AllReduceHost(buffers);
    const survivor = start({ buffers, rank: 0, steps: 5, dieAt: -1 });
    const dying = start({ buffers, rank: 1, steps: 5, dieAt: 2 });
    expect(await dying.exit).toBe(7);
    host.abort();
    const reply = await survivor.reply;
    expect(reply).toMatchObject({ ok: false, name: 'ReplicaAbortedError' });
    // Steps 0 and 1 completed on both; rank 0 committed after each.
    expect(Array.from(host.committedWeights())).toEqual([1, 1]);
    await survivor.exit;
  });
});
