// One data-parallel replica, in a worker thread: rebuilds the template from its JSON config and
// weights, then runs steps on its slice of each batch. Gradients (and the updated non-trainable
// state, e.g. BatchNormalization's moving statistics) are averaged through the shared-memory
// all-reduce, and every replica applies the same optimizer step, so all replicas stay equal.
import { parentPort, workerData } from 'node:worker_threads';
import { ensureBackend } from '@keras-ts/backend';
import { type Model, optimizers } from '@keras-ts/engine';
import type { LayerVariable } from '@keras-ts/layers';
import { modelFromJSON } from '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';
import { AllReduce, ReplicaAbortedError } from './allreduce.js';
import { fromHost, type HostArray, toHost, transferList } from './codec.js';
import type { ReplicaReply, ReplicaRequest } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('replica-worker must run in a worker thread');
const { backend } = workerData as { backend: 'wasm' | 'cpu' };

let model: Model | null = null;
let reducer: AllReduce | null = null;
let rank = 0;
let trainable: LayerVariable[] = [];
let nonTrainable: LayerVariable[] = [];

function flatten(vars: tf.Tensor[], out: Float32Array, offset: number): number {
  let o = offset;
  for (const v of vars) {
    const d = v.dataSync() as Float32Array;
    out.set(d, o);
    o += d.length;
  }
  return o;
}

function size(v: LayerVariable): number {
  return v.shape.reduce((p: number, d) => p * (d ?? 1), 1);
}

async function handle(msg: ReplicaRequest): Promise<ReplicaReply> {
  switch (msg.type) {
    case 'init': {
      await ensureBackend(backend);
      rank = msg.rank;
      for (const m of msg.modules)
        await import(m.startsWith('file:') || !m.startsWith('/') ? m : `file://${m}`);
      model = modelFromJSON(msg.modelJSON);
      model.setWeights(msg.weights.map(fromHost));
      return { type: 'ok', id: msg.id };
    }
    case 'compile': {
      const m = need();
      m.compile({
        optimizer: optimizers.deserialize(msg.compile.optimizer as never),
        loss: msg.compile.loss as never,
        lossWeights: msg.compile.lossWeights as never,
      });
      trainable = [...m.trainableWeights];
      nonTrainable = [...m.nonTrainableWeights];
      reducer = new AllReduce(msg.buffers, rank);
      return { type: 'ok', id: msg.id };
    }
    case 'train': {
      const m = need();
      const r = reducer as AllReduce;
      const rows = msg.x[0]?.shape[0] ?? 0;
      const nT = trainable.reduce((s, v) => s + size(v), 0);
      const nN = nonTrainable.reduce((s, v) => s + size(v), 0);
      const local = new Float32Array(nT + nN);
      let loss = 0;
      if (rows > 0) {
        tf.tidy(() => {
          const x = msg.x.map(fromHost);
          const y = msg.y.map(fromHost);
          const sw = msg.sampleWeight ? fromHost(msg.sampleWeight) : null;
          const { loss: l, grads } = m.computeGradients({
            x: x.length === 1 ? (x[0] as tf.Tensor) : x,
            y: y.length === 1 ? (y[0] as tf.Tensor) : y,
            sampleWeight: sw,
          });
          loss = (l.dataSync()[0] as number) * msg.scale;
          flatten(grads, local, 0);
          flatten(
            nonTrainable.map((v) => v.read()),
            local,
            nT,
          );
        });
      }
      const summed = r.sum(local, msg.scale);
      tf.tidy(() => {
        let o = 0;
        const pairs: [tf.Tensor, LayerVariable][] = trainable.map((v) => {
          const n = size(v);
          const g = tf.tensor(summed.subarray(o, o + n), v.shape as number[]);
          o += n;
          return [g, v];
        });
        (
          m.optimizer as unknown as { applyGradients(p: [tf.Tensor, LayerVariable][]): void }
        ).applyGradients(pairs);
        for (const v of nonTrainable) {
          const n = size(v);
          v.assign(tf.tensor(summed.subarray(o, o + n), v.shape as number[]));
          o += n;
        }
      });
      if (rank === 0) {
        const all = m.weights;
        const flat = new Float32Array(all.reduce((s, v) => s + size(v), 0));
        tf.tidy(() =>
          flatten(
            all.map((v) => v.read()),
            flat,
            0,
          ),
        );
        r.commitWeights(flat);
      }
      return { type: 'ok', id: msg.id, loss };
    }
    case 'predict': {
      const m = need();
      const x = msg.x.map(fromHost);
      const out = await m.predict(x.length === 1 ? (x[0] as tf.Tensor) : x, {
        batchSize: msg.batchSize,
      });
      const list = (
        Array.isArray(out) ? out : out instanceof tf.Tensor ? [out] : Object.values(out)
      ) as tf.Tensor[];
      const outputs = list.map(toHost);
      tf.dispose([...x, ...list]);
      return { type: 'ok', id: msg.id, outputs };
    }
    case 'getWeights': {
      const values = need().getWeights();
      const weights = values.map(toHost);
      tf.dispose(values);
      return { type: 'ok', id: msg.id, weights };
    }
    case 'setWeights': {
      const ts = msg.weights.map(fromHost);
      need().setWeights(ts);
      tf.dispose(ts);
      return { type: 'ok', id: msg.id };
    }
    default:
      throw new Error(`unknown replica request ${(msg as { type: string }).type}`);
  }
}

function need(): Model {
  if (!model) throw new Error('replica used before init');
  return model;
}

let queue = Promise.resolve();
port.on('message', (msg: ReplicaRequest) => {
  queue = queue.then(async () => {
    try {
      const reply = await handle(msg);
      const arrays: HostArray[] = [
        ...(reply.type === 'ok' ? (reply.outputs ?? []) : []),
        ...(reply.type === 'ok' ? (reply.weights ?? []) : []),
      ];
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
