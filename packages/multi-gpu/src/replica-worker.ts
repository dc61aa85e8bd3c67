// A replica in a worker thread: requests arrive over postMessage, the all-reduce runs over the
// SharedArrayBuffer the main thread made (see allreduce.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { readInto } from '@keras-ts/backend';
import type { LayerVariable } from '@keras-ts/layers';
import { AllReduce, ReplicaAbortedError, shareOut } from './allreduce.js';
import { type HostArray, transferList } from './codec.js';
import type { ReplicaReply, ReplicaRequest } from './protocol.js';
import { createReplicaService, type ReplicaLink, variableSize } from './replica-service.js';

const port = parentPort;
if (!port) throw new Error('replica-worker must run in a worker thread');
const { backend } = workerData as { backend: string };

function threadLink(reducer: AllReduce, rank: number, replicas: number): ReplicaLink {
  let owner: number[] | null = null;
  let offsets: number[] = [];
  return {
    contribution: () => reducer.contribution(),
    reduce: (scale) => reducer.reduce(scale),
    commit(weights: readonly LayerVariable[]) {
      if (!owner) {
        const sizes = weights.map(variableSize);
        owner = shareOut(sizes, replicas);
        offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
      }
      const mine = owner;
      reducer.commit((slot) => {
        for (const [i, v] of weights.entries()) {
          if (mine[i] !== rank) continue;
          const t = v.read();
          readInto(t, slot, offsets[i] as number);
        }
      });
    },
  };
}

const handle = createReplicaService({
  backend,
  link: (msg, rank) => {
    const buffers = msg.buffers;
    if (!buffers) throw new Error('a thread replica needs the shared all-reduce buffers');
    return threadLink(new AllReduce(buffers, rank), rank, buffers.replicas);
  },
});

let queue = Promise.resolve();
port.on('message', (msg: ReplicaRequest) => {
  queue = queue.then(async () => {
    try {
      const reply = await handle(msg);
      const arrays: HostArray[] = [...(reply.outputs ?? []), ...(reply.weights ?? [])];
      port.postMessage(reply, transferList(arrays));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({
        type: 'error',
        id: msg.id,
        message: e.message,
        stack: e.stack,
        aborted: e instanceof ReplicaAbortedError,
      } satisfies ReplicaReply);
    }
  });
});
