import { ensureBackend } from '@keras-ts/backend';
import { Model, optimizers } from '@keras-ts/engine';
import { Dense, Input, type SymbolicTensor } from '@keras-ts/layers';
import '@keras-ts/saving';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toHost } from './codec.js';
import type { OkReply, ReplicaRequest, RequestBody } from './protocol.js';
import { createReplicaService, type ReplicaLink } from './replica-service.js';

function mlp(): Model {
  const x = Input({ shape: [3] });
  const h = new Dense({ units: 4, activation: 'tanh', kernelInitializer: 'glorot_uniform' }).apply(
    x,
  ) as SymbolicTensor;
  return new Model({ inputs: x, outputs: new Dense({ units: 2 }).apply(h) as SymbolicTensor });
}

/** One replica alone: the all-reduce sum is its own scaled contribution. */
function soloLink(length: number): ReplicaLink {
  const buffer = new Float32Array(length);
  return {
    contribution: () => buffer,
    reduce: async (scale) => buffer.map((v) => v * scale),
    commit: () => {},
  };
}

// A WebGPU replica in Node has no synchronous read: every synchronous read throws here.
function forbidSyncReads() {
  const spies = (['dataSync', 'arraySync', 'bufferSync'] as const).map((name) =>
    vi.spyOn(tf.Tensor.prototype, name).mockImplementation(() => {
      throw new Error(`synchronous ${name} in a replica`);
    }),
  );
  return () => {
    for (const s of spies) s.mockRestore();
  };
}

describe('the replica service reads the device only with awaited downloads', () => {
  let restore: (() => void) | null = null;
  beforeAll(async () => {
    await ensureBackend();
  });
  afterEach(() => {
    restore?.();
    restore = null;
  });

  it('init, compile, train, predict and getWeights equal a model trained in place', async () => {
    const reference = mlp();
    const start = reference.getWeights();
    const x = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 15)), [5, 3]));
    const y = tf.tidy(() => tf.reshape(tf.cos(tf.range(0, 10)), [5, 2]));
    const host = {
      modelJSON: reference.toJSON(),
      weights: await Promise.all(start.map(toHost)),
      x: await toHost(x),
      y: await toHost(y),
    };
    const length = reference.trainableWeights.reduce(
      (s, v) => s + v.shape.reduce((p: number, d) => p * (d ?? 1), 1),
      0,
    );
    const handle = createReplicaService({ backend: 'cpu', link: () => soloLink(length) });
    const ask = (body: RequestBody) =>
      handle({ ...body, id: 1 } as ReplicaRequest) as Promise<OkReply>;
    const sgd = optimizers.serialize(new optimizers.SGD({ learningRate: 0.1 }));

    restore = forbidSyncReads();
    await ask({
      type: 'init',
      modelJSON: host.modelJSON,
      weights: host.weights,
      rank: 0,
      device: '/cpu:0',
      modules: [],
    });
    await ask({
      type: 'compile',
      compile: { optimizer: sgd as unknown as Record<string, unknown>, loss: 'mse' },
    });
    const step = await ask({
      type: 'train',
      x: [host.x],
      y: [host.y],
      sampleWeight: null,
      scale: 1,
      wantOutputs: true,
    });
    const predicted = await ask({ type: 'predict', x: [host.x], batchSize: 32 });
    const weights = await ask({ type: 'getWeights' });
    restore();
    restore = null;

    reference.compile({ optimizer: optimizers.deserialize(sgd as never), loss: 'mse' });
    const outputsBefore = (await reference.predict(x)) as tf.Tensor;
    const loss = (await reference.trainOnBatch(x, y)) as number;
    const after = reference.getWeights();
    const outputsAfter = (await reference.predict(x)) as tf.Tensor;
    expect(step.loss).toBeCloseTo(loss, 5);
    expect(Array.from(step.outputs?.[0]?.data ?? [])).toBeAllclose(
      Array.from(await outputsBefore.data()),
      { rtol: 1e-5, atol: 1e-6 },
    );
    for (const [i, w] of after.entries()) {
      expect(Array.from(weights.weights?.[i]?.data ?? [])).toBeAllclose(
        Array.from(await w.data()),
        {
          rtol: 1e-5,
          atol: 1e-6,
        },
      );
    }
    expect(Array.from(predicted.outputs?.[0]?.data ?? [])).toBeAllclose(
      Array.from(await outputsAfter.data()),
      { rtol: 1e-5, atol: 1e-6 },
    );
    tf.dispose([x, y, ...start, ...after, outputsBefore, outputsAfter]);
  });
});
