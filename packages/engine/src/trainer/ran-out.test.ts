import { ensureBackend } from '@keras-ts/backend';
import { Dense, Input, type SymbolicTensor } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Model } from '../model.js';

describe('a generator that ends before stepsPerEpoch * epochs batches', () => {
  beforeAll(() => ensureBackend());

  it('warns as Keras does and stops training after the epoch it ran dry in', async () => {
    const x = Input({ shape: [2] });
    const model = new Model({
      inputs: x,
      outputs: new Dense({ units: 1 }).apply(x) as SymbolicTensor,
    });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    let yielded = 0;
    function* five() {
      for (let i = 0; i < 5; i++) {
        yielded++;
        yield [tf.ones([4, 2]), tf.zeros([4, 1])];
      }
    }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const before = tf.memory().numTensors;
    const history = await model.fit(five(), { stepsPerEpoch: 3, epochs: 4, verbose: 0 });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('Your input ran out of data; interrupting training.'),
    );
    warn.mockRestore();
    // Epoch 1 takes 3 batches, epoch 2 gets the last 2 and runs dry: no epoch 3 or 4.
    expect(yielded).toBe(5);
    expect(history.epoch).toEqual([0, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
