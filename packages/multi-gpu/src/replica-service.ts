// What a replica does with each request, whatever carries the requests (a worker thread or a
// child process): rebuild the template from its JSON config and weights, then run steps on its
// slice of each batch. Gradients (and the updated non-trainable state, e.g. BatchNormalization's
// moving statistics) are averaged through the transport's all-reduce, and every replica applies
// the same optimizer step, so all replicas stay equal.
import { ensureBackend, readIntoAsync } from '@keras-ts/backend';
import { type Model, optimizers } from '@keras-ts/engine';
import type { LayerVariable } from '@keras-ts/layers';
import { modelFromJSON } from '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';
import { fromHost, type HostArray, toHost } from './codec.js';
import type { ReplicaReply, ReplicaRequest } from './protocol.js';

/** The all-reduce as one replica sees it. */
export interface ReplicaLink {
  /** Where this replica writes its (unscaled) vector for the next `reduce`. */
  contribution(): Float32Array;
  /** Scales the contribution by `scale` and resolves with the sum over all replicas. */
  reduce(scale: number): Float32Array | Promise<Float32Array>;
  /** After a completed step: publishes this replica's share of the weights, if it keeps them. */
  commit(weights: readonly LayerVariable[]): void;
}

export interface ReplicaServiceOptions {
  backend: string;
  /** Builds the link at compile time, from the transport's part of the compile request. */
  link(request: Extract<ReplicaRequest, { type: 'compile' }>, rank: number): ReplicaLink;
}

function size(v: LayerVariable): number {
  return v.shape.reduce((p: number, d) => p * (d ?? 1), 1);
}

/** Copies tensors' values one after the other into `out`, from `offset`; returns the end. */
async function flattenInto(
  values: readonly tf.Tensor[],
  out: Float32Array,
  offset: number,
): Promise<number> {
  let o = offset;
  for (const v of values) {
    await readIntoAsync(v, out, o);
    o += v.size;
  }
  return o;
}

export type ReplicaHandler = (msg: ReplicaRequest) => Promise<ReplicaReply & { type: 'ok' }>;

export function createReplicaService(options: ReplicaServiceOptions): ReplicaHandler {
  let model: Model | null = null;
  let link: ReplicaLink | null = null;
  let rank = 0;
  let trainable: LayerVariable[] = [];
  let nonTrainable: LayerVariable[] = [];
  let trainableLength = 0;

  const need = (): Model => {
    if (!model) throw new Error('replica used before init');
    return model;
  };

  return async (msg) => {
    switch (msg.type) {
      case 'init': {
        await ensureBackend(options.backend as never);
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
        trainableLength = trainable.reduce((s, v) => s + size(v), 0);
        link = options.link(msg, rank);
        return { type: 'ok', id: msg.id };
      }
      case 'train': {
        const m = need();
        if (!link) throw new Error('replica trained before compile');
        const rows = msg.x[0]?.shape[0] ?? 0;
        const local = link.contribution();
        let loss = 0;
        let outputs: HostArray[] | undefined;
        const outputLosses: Record<string, number> = {};
        if (rows > 0) {
          const step = tf.tidy(() => {
            const x = msg.x.map(fromHost);
            const y = msg.y.map(fromHost);
            const sw = msg.sampleWeight ? fromHost(msg.sampleWeight) : null;
            const r = m.computeGradients({
              x: x.length === 1 ? (x[0] as tf.Tensor) : x,
              y: y.length === 1 ? (y[0] as tf.Tensor) : y,
              sampleWeight: sw,
            });
            const names = Object.keys(r.logs).filter((k) => k !== 'loss');
            // Every scalar the reply carries, read with one download.
            const scalars = tf.stack([r.loss, ...names.map((k) => r.logs[k] as tf.Tensor)]);
            return { names, scalars, grads: r.grads, yPred: msg.wantOutputs ? r.yPred : [] };
          });
          try {
            // Awaited reads throughout: a WebGPU replica has no synchronous one.
            const values = await step.scalars.data();
            loss = (values[0] as number) * msg.scale;
            step.names.forEach((k, i) => {
              outputLosses[k] = (values[i + 1] as number) * msg.scale;
            });
            if (msg.wantOutputs) outputs = await Promise.all(step.yPred.map(toHost));
            await flattenInto(step.grads, local, 0);
            await flattenInto(
              nonTrainable.map((v) => v.read()),
              local,
              trainableLength,
            );
          } finally {
            tf.dispose([step.scalars, ...step.grads, ...step.yPred]);
          }
        } else {
          // An empty slice (a batch smaller than the number of replicas) adds nothing.
          local.fill(0);
        }
        const summed = await link.reduce(msg.scale);
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
        link.commit(m.weights);
        return { type: 'ok', id: msg.id, loss, outputLosses, ...(outputs ? { outputs } : {}) };
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
        const outputs = await Promise.all(list.map(toHost));
        tf.dispose([...x, ...list]);
        return { type: 'ok', id: msg.id, outputs };
      }
      case 'getWeights': {
        const values = need().getWeights();
        const weights = await Promise.all(values.map(toHost));
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
  };
}

export { size as variableSize };
