/**
 * Pins the gradients of the conv and pooling layers to Keras: the b_cnn and h1_conv_extras
 * fixtures record 3 `train_on_batch` steps of SGD(0.1) on categorical cross-entropy (losses and
 * every weight afterwards). The same steps here, with tf.variableGrads over the layers, must land
 * on the same numbers.
 */
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Dense } from '../core/dense.js';
import type { Layer } from '../engine/layer.js';
import { GlobalAveragePooling2D } from '../pooling/global-average-pooling2d.js';
import { MaxPooling2D } from '../pooling/max-pooling2d.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { type KerasFixture, loadKerasFixture } from './test-utils/keras-fixture.js';

beforeAll(() => ensureBackend());

interface TrainJson {
  x: Record<string, { shape: number[]; data: unknown }>;
  y: { shape: number[]; data: unknown };
  loss_values: number[];
  weights_after_training: Record<string, { shape: number[]; data: unknown }>;
}

/** Keras's categorical_crossentropy on probabilities: renormalise, clip to [1e-7, 1 - 1e-7]. */
function categoricalCrossentropy(yTrue: tf.Tensor, probs: tf.Tensor): tf.Scalar {
  const p = tf.clipByValue(tf.div(probs, tf.sum(probs, -1, true)), 1e-7, 1 - 1e-7);
  return tf.mean(tf.neg(tf.sum(tf.mul(yTrue, tf.log(p)), -1)));
}

function trainAndCompare(
  fx: KerasFixture,
  layers: [string, Layer, string[]][],
  forward: (x: tf.Tensor) => tf.Tensor,
  tol: { rtol: number; atol: number },
) {
  const train = (fx.io as unknown as { train: TrainJson }).train;
  const xSpec = Object.values(train.x)[0] as { shape: number[]; data: unknown };
  const x = tf.tensor(xSpec.data as number[], xSpec.shape);
  const y = tf.tensor(train.y.data as number[], train.y.shape);
  // Build each layer on its input shape and load the pre-training weights.
  let h = x;
  for (const [name, layer, vars] of layers) {
    layer.maybeBuild(h.shape);
    if (vars.length > 0) layer.setWeights(vars.map((v) => fx.weight(name, v)));
    h = layer.apply(h) as tf.Tensor;
    if (name === 'maxpool') h = tf.reshape(h, [h.shape[0] as number, -1]);
  }
  const variables = layers.flatMap(([, layer]) => layer.trainableWeights.map((w) => w.value));
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    const { value, grads } = tf.variableGrads(
      () => categoricalCrossentropy(y, forward(x)),
      variables,
    );
    losses.push(value.dataSync()[0] as number);
    for (const v of variables) v.assign(tf.sub(v, tf.mul(0.1, grads[v.name] as tf.Tensor)));
  }
  expect(losses).toBeAllclose(train.loss_values, tol);
  for (const [name, layer] of layers) {
    for (const w of layer.trainableWeights) {
      const spec = train.weights_after_training[`${name}/${w.name}`];
      expect(spec, `${name}/${w.name}`).toBeDefined();
      expect(w.read()).toBeAllclose(tf.tensor(spec?.data as number[], spec?.shape), tol);
    }
  }
}

describe('training steps match Keras 3', () => {
  it('b_cnn: Conv2D same/valid stride 2, MaxPooling2D, Dense softmax', async () => {
    const fx = await loadKerasFixture('b_cnn');
    const c1 = new Conv2D({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    });
    const c2 = new Conv2D({ filters: 6, kernelSize: 3, strides: 2, activation: 'relu' });
    const pool = new MaxPooling2D({ poolSize: 2, strides: 1 });
    const dense = new Dense({ units: 3, activation: 'softmax' });
    const forward = (x: tf.Tensor) => {
      const t = { training: true };
      const h = pool.apply(c2.apply(c1.apply(x, t) as tf.Tensor, t) as tf.Tensor, t) as tf.Tensor;
      return dense.apply(tf.reshape(h, [h.shape[0] as number, -1]), t) as tf.Tensor;
    };
    trainAndCompare(
      fx,
      [
        ['conv_same_s2', c1, ['kernel', 'bias']],
        ['conv_valid_s2', c2, ['kernel', 'bias']],
        ['maxpool', pool, []],
        ['probs', dense, ['kernel', 'bias']],
      ],
      forward,
      { rtol: 1e-4, atol: 1e-5 },
    );
    fx.close();
  });

  it('h1_conv_extras: Conv2DTranspose, DepthwiseConv2D, SeparableConv2D, GlobalAveragePooling2D', async () => {
    const fx = await loadKerasFixture('h1_conv_extras');
    const d1 = new Conv2DTranspose({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    });
    const d2 = new Conv2DTranspose({ filters: 3, kernelSize: 2 });
    const dw = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, activation: 'relu' });
    const sep = new SeparableConv2D({ filters: 5, kernelSize: 3, strides: 2, padding: 'same' });
    const gap = new GlobalAveragePooling2D();
    const dense = new Dense({ units: 3, activation: 'softmax' });
    const chain = [d1, d2, dw, sep, gap, dense];
    const forward = (x: tf.Tensor) =>
      chain.reduce((h, layer) => layer.apply(h, { training: true }) as tf.Tensor, x);
    trainAndCompare(
      fx,
      [
        ['deconv_same_s2', d1, ['kernel', 'bias']],
        ['deconv_valid', d2, ['kernel', 'bias']],
        ['depthwise', dw, ['kernel', 'bias']],
        ['separable_same_s2', sep, ['depthwise_kernel', 'pointwise_kernel', 'bias']],
        ['gap', gap, []],
        ['probs', dense, ['kernel', 'bias']],
      ],
      forward,
      { rtol: 1e-4, atol: 1e-5 },
    );
    fx.close();
  });
});
