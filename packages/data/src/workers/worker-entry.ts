// Runs inside a worker thread: rebuilds the user's Sequence from its module and answers
// `getItem` requests by index. Tensors go back as transferred buffers.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { encodeBatch } from './transfer.js';

interface SequenceLike {
  getItem(index: number): unknown;
}

type Request = { type: 'get'; seq: number; index: number } | { type: 'reset'; args: unknown };

const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');

const { spec } = workerData as {
  spec: { moduleUrl: string; exportName?: string; args?: unknown };
};

async function load(): Promise<new (args: unknown) => SequenceLike> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const url = spec.moduleUrl.startsWith('file:') ? spec.moduleUrl : `file://${spec.moduleUrl}`;
  const mod = (await import(url)) as Record<string, unknown>;
  const name = spec.exportName ?? 'default';
  const Cls = mod[name] as (new (args: unknown) => SequenceLike) | undefined;
  if (typeof Cls !== 'function') {
    throw new Error(
      `Module ${spec.moduleUrl} has no export '${name}' (exports: ${Object.keys(mod).join(', ')})`,
    );
  }
  return Cls;
}

const cls = load();
cls.catch(() => {});
let current: Promise<SequenceLike> = cls.then((Cls) => new Cls(spec.args));
current.catch(() => {});

port.on('message', async (msg: Request) => {
  if (msg.type === 'reset') {
    // A new epoch of the same Sequence class: rebuild the instance, keep the loaded module.
    current = cls.then((Cls) => new Cls(msg.args));
    current.catch(() => {});
    return;
  }
  try {
    const sequence = await current;
    const batch = await sequence.getItem(msg.index);
    const transfer: ArrayBuffer[] = [];
    const encoded = encodeBatch(batch, transfer);
    port.postMessage({ type: 'batch', seq: msg.seq, index: msg.index, batch: encoded }, transfer);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    port.postMessage({
      type: 'error',
      seq: msg.seq,
      index: msg.index,
      message: e.message,
      stack: e.stack,
    });
  }
});
