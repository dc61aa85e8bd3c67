import { ensureBackend, setRandomSeed } from '@keras-ts/backend';
import { Dense } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SGD } from '../optimizers/index.js';
import { Sequential } from '../sequential.js';
import { ArrayDataAdapter } from './array-adapter.js';
import { randomPermutation } from './permutation.js';

describe('shuffles follow setRandomSeed', () => {
  beforeAll(async () => {
    await ensureBackend();
  });
  afterEach(() => setRandomSeed(null));

  it('gives the same permutations after the same seed, and others after another seed', () => {
    setRandomSeed(5);
    const a = [randomPermutation(50), randomPermutation(50)];
    setRandomSeed(5);
    const b = [randomPermutation(50), randomPermutation(50)];
    setRandomSeed(6);
    const c = randomPermutation(50);
    expect(b).toEqual(a);
    // Consecutive epochs differ, and so does another seed's first order.
    expect(a[1]).not.toEqual(a[0]);
    expect(c).not.toEqual(a[0]);
    for (const p of [...a, c]) expect([...p].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
  });

  it('makes a shuffled batch order reproducible in the array adapter', async () => {
    const x = tf.reshape(tf.range(0, 12), [12, 1]);
    const rowsOfOneEpoch = async () => {
      const adapter = new ArrayDataAdapter({
        x,
        y: null,
        sampleWeight: null,
        batchSize: 4,
        shuffle: true,
      });
      const rows: number[] = [];
      for await (const batch of adapter.epochBatches({ epoch: 0, steps: null })) {
        rows.push(...(batch.x as tf.Tensor).dataSync());
        tf.dispose([...batch.owned]);
      }
      return rows;
    };
    setRandomSeed(11);
    const first = await rowsOfOneEpoch();
    setRandomSeed(11);
    expect(await rowsOfOneEpoch()).toEqual(first);
    expect(first).not.toEqual([...Array(12).keys()]);
    x.dispose();
  });

  it('makes a seeded fit with shuffle reproducible (Keras set_random_seed)', async () => {
    const x = tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 96)), [32, 3]));
    const y = tf.tidy(() => tf.reshape(tf.cos(tf.range(0, 32)), [32, 1]));
    const losses = async () => {
      setRandomSeed(42);
      const model = new Sequential([
        new Dense({ units: 4, activation: 'tanh', inputShape: [3] }),
        new Dense({ units: 1 }),
      ]);
      model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
      const h = await model.fit(x, y, { batchSize: 5, epochs: 3, shuffle: true, verbose: 0 });
      return h.history.loss;
    };
    const first = await losses();
    expect(await losses()).toEqual(first);
    tf.dispose([x, y]);
  });
});
