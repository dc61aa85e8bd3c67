// A replica in a child process (one per GPU: tfjs-node-gpu places every op on one GPU per
// process, and the parent set CUDA_VISIBLE_DEVICES before this process loaded anything).
// Requests and the all-reduce both travel over the IPC channel (see process-pool.ts).
import { ConfigProto, ensureBackend, Session, setSession } from '@keras-ts/backend';
import { ReplicaAbortedError } from './allreduce.js';
import type { ReduceDown, ReduceUp, ReplicaReply, ReplicaRequest } from './protocol.js';
import { createReplicaService, type ReplicaLink } from './replica-service.js';

const send = process.send?.bind(process);
if (!send) {
  throw new Error(
    'replica-process must be started with child_process.fork (it talks to its parent over IPC)',
  );
}
const backend = process.argv[2] ?? 'wasm';

type Waiting = { resolve: (sum: Float32Array) => void; reject: (e: Error) => void };
let waiting: Waiting | null = null;
let aborted = false;

function processLink(length: number): ReplicaLink {
  const local = new Float32Array(length);
  let step = 0;
  return {
    contribution: () => local,
    reduce(scale) {
      if (scale !== 1) for (let i = 0; i < length; i++) local[i] = (local[i] as number) * scale;
      if (aborted) return Promise.reject(new ReplicaAbortedError());
      return new Promise<Float32Array>((resolve, reject) => {
        waiting = {
          resolve: (sum) => {
            step += 1;
            resolve(sum);
          },
          reject,
        };
        send?.({ type: 'contribute', step, data: local } satisfies ReduceUp);
      });
    },
    // No shared slot: the parent asks for the weights (getWeights) when the template needs them.
    commit() {},
  };
}

/**
 * The GPU backends are loaded through a session that may not fall back: a replica meant for a
 * GPU that silently trained on wasm would make the whole run slower without saying why.
 */
async function prepareBackend(): Promise<void> {
  if (backend !== 'tensorflow' && backend !== 'webgpu') return;
  // Gradients and kernels first; the service's own ensureBackend() then finds it done and
  // leaves the session's backend active.
  await ensureBackend();
  await setSession(
    new Session({ backend, config: new ConfigProto({ allowSoftPlacement: false }) }),
  );
}

const handle = createReplicaService({
  backend,
  link: (msg) => {
    if (msg.reduceLength === undefined) {
      throw new Error('a process replica needs the all-reduce length in its compile request');
    }
    return processLink(msg.reduceLength);
  },
});

let queue = Promise.resolve();
process.on('message', (msg: ReplicaRequest | ReduceDown) => {
  if (msg.type === 'reduced' || msg.type === 'abort') {
    const w = waiting;
    waiting = null;
    if (msg.type === 'reduced') w?.resolve(msg.sum);
    else {
      aborted = true;
      w?.reject(new ReplicaAbortedError());
    }
    return;
  }
  queue = queue.then(async () => {
    try {
      if (msg.type === 'init') await prepareBackend();
      send?.(await handle(msg));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      send?.({
        type: 'error',
        id: msg.id,
        message: e.message,
        stack: e.stack,
        aborted: e instanceof ReplicaAbortedError,
      } satisfies ReplicaReply);
    }
  });
});
// The parent closed the channel (close(), or it exited): nothing will ask this replica anything.
process.on('disconnect', () => process.exit(0));
