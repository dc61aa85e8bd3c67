import { ensureBackend } from '@keras-ts/backend';
import {
  Activation,
  Conv2D,
  Dense,
  Flatten,
  Input,
  regularizers,
  type SymbolicTensor,
} from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Model } from '../model.js';

beforeAll(() => ensureBackend());

const sym = (t: unknown) => t as SymbolicTensor;

/** The seed's two-output model (Keras 2 workflow 6). */
function seedModel(): Model {
  const imageInput = Input({ shape: [12, 12, 1], name: 'image_input' });
  let h = sym(new Conv2D({ filters: 8, kernelSize: 5, strides: 1 }).apply(imageInput));
  h = sym(new Activation({ activation: 'relu' }).apply(h));
  h = sym(new Flatten().apply(h));
  h = sym(new Dense({ units: 50, kernelRegularizer: regularizers.l2(0.0001) }).apply(h));
  h = sym(new Activation({ activation: 'relu' }).apply(h));
  const output1 = sym(new Dense({ units: 1, name: 'output1' }).apply(h));
  const output2 = sym(new Dense({ units: 1, name: 'output2' }).apply(h));
  return new Model({ inputs: imageInput, outputs: [output1, output2] });
}

function* batchGenerator(batchSize: number) {
  while (true) {
    const [x, y1, y2] = tf.tidy(() => {
      const img = tf.randomUniform([batchSize, 12, 12, 1]);
      const m = tf.reshape(tf.mean(img, [1, 2, 3]), [batchSize, 1]);
      return [img, m, tf.mul(m, 2)];
    });
    yield [x, { output1: y1, output2: y2 }];
  }
}

describe('Keras 2 generator API on the seed two-output model', () => {
  it('trains with fitGenerator from [x, {output1, output2}] batches', async () => {
    const model = seedModel();
    model.compile({
      optimizer: 'adam',
      loss: { output1: 'mean_squared_error', output2: 'mean_squared_error' },
    });
    expect(model.trainFunction).toBeNull();
    const before = tf.memory().numTensors;
    const history = await model.fitGenerator(batchGenerator(16), {
      stepsPerEpoch: 5,
      epochs: 3,
      verbose: 0,
    });
    expect(model.trainFunction).not.toBeNull();
    expect(Object.keys(history.history).sort()).toEqual(['loss', 'output1_loss', 'output2_loss']);
    const loss = history.history.loss as number[];
    expect(loss.at(-1) as number).toBeLessThan(loss[0] as number);
    // Optimizer slots are made on the first step; after that nothing accumulates.
    const afterFirst = tf.memory().numTensors;
    await model.fitGenerator(batchGenerator(16), { stepsPerEpoch: 2, epochs: 2, verbose: 0 });
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThan(before);

    const ev = (await model.evaluateGenerator(batchGenerator(8), { steps: 2 })) as number[];
    expect(ev).toHaveLength(3);
    // total = output1 + output2 + the l2 penalty
    expect((ev[0] as number) - (ev[1] as number) - (ev[2] as number)).toBeGreaterThan(0);
    const preds = (await model.predictGenerator(batchGenerator(4), { steps: 2 })) as tf.Tensor[];
    expect(preds.map((p) => p.shape)).toEqual([
      [8, 1],
      [8, 1],
    ]);
  });

  it('asks for stepsPerEpoch with a plain generator, as Keras 2 did', async () => {
    const model = seedModel();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(() => model.fitGenerator(batchGenerator(2))).toThrow(
      /`steps_per_epoch=None` is only valid for a generator based on the `keras.utils.Sequence` class/,
    );
  });
});
