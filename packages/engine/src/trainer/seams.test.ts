import { ensureBackend } from '@keras-ts/backend';
import { Dense, Input, type SymbolicTensor } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Model } from '../model.js';
import { SGD } from '../optimizers/index.js';
import { Sequential } from '../sequential.js';

beforeAll(() => ensureBackend());

describe('computeGradients (multi-gpu seam)', () => {
  it('returns the loss and gradients in collectedTrainableWeights order, matching closed form', () => {
    // y = x W + b with W = ones(2,1), b = 0; mse loss L = mean((xW - y)^2)
    const model = new Sequential([
      new Dense({ units: 1, kernelInitializer: 'ones', inputShape: [2], name: 'lin' }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.tensor2d([[1], [2]]);
    const before = model.getWeights();
    const r = tf.tidy(() => {
      const g = model.computeGradients({ x, y });
      return [g.loss, ...g.grads];
    });
    // residuals e = [3-1, 7-2] = [2, 5]; L = (4 + 25) / 2 = 14.5
    expect(r[0]).toBeAllclose(14.5);
    // dL/dW = 2/N * x^T e = [1*2 + 3*5, 2*2 + 4*5] = [17, 24]; dL/db = 2/N * sum(e) = 7
    expect(r[1]).toBeAllclose([[17], [24]]);
    expect(r[2]).toBeAllclose([7]);
    expect(model.collectedTrainableWeights?.map((w) => w.path)).toEqual(['lin/kernel', 'lin/bias']);
    // The forward pass the gradients came from: x W = [1 + 2, 3 + 4].
    const yPred = tf.tidy(() => tf.clone(model.computeGradients({ x, y }).yPred[0] as tf.Tensor));
    expect(yPred).toBeAllclose([[3], [7]]);
    // computeGradients applies nothing.
    expect(model.getWeights()[0]).toBeAllclose(before[0]);
    // The optimizer half of the seam applies them.
    model.optimizer?.applyGradients([
      [r[1] as tf.Tensor, model.collectedTrainableWeights?.[0] as never],
      [r[2] as tf.Tensor, model.collectedTrainableWeights?.[1] as never],
    ]);
    expect(model.getWeights()[0]).toBeAllclose([[1 - 1.7], [1 - 2.4]]);
  });
});

describe('metric resolution', () => {
  it("picks binary, sparse or categorical accuracy for 'accuracy' like Keras", async () => {
    const probs = tf.tensor2d([
      [0.1, 0.9],
      [0.8, 0.2],
      [0.3, 0.7],
    ]);
    const x = Input({ shape: [2] });
    const id = new Model({ inputs: x, outputs: x });
    id.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const cat = (await id.evaluate(
      probs,
      [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
      { verbose: 0, returnDict: true },
    )) as Record<string, number>;
    expect(cat.accuracy).toBeCloseTo(2 / 3, 6);
    id.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['acc'] });
    const sparse = (await id.evaluate(probs, [1, 0, 0], {
      verbose: 0,
      returnDict: true,
    })) as Record<string, number>;
    expect(sparse.acc).toBeCloseTo(2 / 3, 6);
    const one = Input({ shape: [1] });
    const bin = new Model({ inputs: one, outputs: one });
    bin.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const b = (await bin.evaluate([[0.9], [0.2], [0.6], [0.4]], [[1], [0], [0], [0]], {
      verbose: 0,
      returnDict: true,
    })) as Record<string, number>;
    expect(b.accuracy).toBeCloseTo(0.75, 6);
  });

  it('copies a Metric object given in a list for each output', async () => {
    const { MeanAbsoluteError } = await import('../metrics/index.js');
    const x = Input({ shape: [1] });
    const a = new Dense({ units: 1, kernelInitializer: 'zeros', name: 'a' }).apply(x) as never;
    const b = new Dense({ units: 1, kernelInitializer: 'zeros', name: 'b' }).apply(x) as never;
    const model = new Model({ inputs: x, outputs: [a, b] });
    model.compile({
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [new MeanAbsoluteError({ name: 'mae' })],
    });
    const r = (await model.evaluate([[1]], [[[2]], [[5]]], {
      verbose: 0,
      returnDict: true,
    })) as Record<string, number>;
    expect(r.a_mae).toBeCloseTo(2, 6);
    expect(r.b_mae).toBeCloseTo(5, 6);
  });

  it('weights only weightedMetrics by sample weight', async () => {
    const x = Input({ shape: [1] });
    const id = new Model({ inputs: x, outputs: x });
    id.compile({ optimizer: 'sgd', loss: 'mae', metrics: ['mae'], weightedMetrics: ['mae'] });
    const r = (await id.evaluate([[1], [1]], [[0], [3]], {
      verbose: 0,
      sampleWeight: [3, 1],
      returnDict: true,
    })) as Record<string, number>;
    // errors 1 and 2: plain mean 1.5; weighted (3*1 + 1*2) / 4 = 1.25
    expect(r.mae).toBeCloseTo(1.5, 6);
    expect(r.weighted_mae).toBeCloseTo(1.25, 6);
  });
});

describe('Keras 2 Sequential config', () => {
  it('rebuilds from a bare layer list with batch_input_shape', async () => {
    const config = [
      {
        class_name: 'Dense',
        config: {
          name: 'dense_1',
          units: 2,
          batch_input_shape: [null, 3],
          kernel_initializer: { class_name: 'Ones', config: {} },
          activation: 'linear',
        },
      },
    ];
    const model = Sequential.fromConfig(config as never);
    expect(model.inputs[0]?.shape).toEqual([null, 3]);
    const out = (await model.predict([[1, 1, 1]], { verbose: 0 })) as tf.Tensor;
    expect(out).toBeAllclose([[3, 3]]);
    const sym = model.outputs[0] as SymbolicTensor;
    expect(sym.shape).toEqual([null, 2]);
  });
});
