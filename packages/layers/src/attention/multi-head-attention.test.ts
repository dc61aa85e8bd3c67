import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { readH5Tensors, readJson, tensorOf } from '../rnn/test-utils/fixtures.js';
import { MultiHeadAttention } from './multi-head-attention.js';

beforeAll(() => ensureBackend());

type Rec = { shape: number[]; data: unknown };

async function fixtureLayer() {
  const io = readJson<{ intermediates: Record<string, Rec> }>('keras3/h2_layernorm_mha/io.json');
  const names = [
    'query/kernel',
    'query/bias',
    'key/kernel',
    'key/bias',
    'value/kernel',
    'value/bias',
  ];
  const weights = await readH5Tensors('keras3/h2_layernorm_mha/model.h5', [
    ...names.map((n) => `model_weights/mha/mha/${n}`),
    'model_weights/mha/mha/attention_output/kernel',
    'model_weights/mha/mha/attention_output/bias',
  ]);
  const x = tensorOf(io.intermediates.ln as Rec);
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
  layer.apply([x, x]);
  layer.setWeights(weights);
  return { layer, x, expected: tensorOf(io.intermediates.mha as Rec) };
}

describe('MultiHeadAttention', () => {
  it('reproduces the Keras 3 fixture (2 heads, key_dim 4, self-attention)', async () => {
    const { layer, x, expected } = await fixtureLayer();
    expect(layer.weights.map((w) => w.shape)).toEqual([
      [8, 2, 4],
      [2, 4],
      [8, 2, 4],
      [2, 4],
      [8, 2, 4],
      [2, 4],
      [2, 4, 8],
      [8],
    ]);
    expect(layer.apply([x, x])).toBeAllclose(expected, { atol: 1e-5 });
  });

  it('returns attention scores (batch, heads, Tq, Tk) that sum to one per query', async () => {
    const { layer, x } = await fixtureLayer();
    const [out, scores] = layer.apply([x, x], { returnAttentionScores: true }) as tf.Tensor[];
    expect(out?.shape).toEqual([2, 5, 8]);
    expect(scores?.shape).toEqual([2, 2, 5, 5]);
    expect(tf.sum(scores as tf.Tensor, -1)).toBeAllclose(tf.ones([2, 2, 5]), { atol: 1e-6 });
  });

  it('causal and attention masks zero the hidden keys; an all-visible mask changes nothing', async () => {
    const { layer, x, expected } = await fixtureLayer();
    const [, causal] = layer.apply([x, x], {
      returnAttentionScores: true,
      useCausalMask: true,
    }) as tf.Tensor[];
    const upper = tf.sub(tf.ones([5, 5]), tf.linalg.bandPart(tf.ones([5, 5]), -1, 0));
    expect(tf.sum(tf.mul(causal as tf.Tensor, upper))).toBeAllclose(0);
    expect(layer.apply([x, x], { attentionMask: tf.ones([2, 5, 5], 'bool') })).toBeAllclose(
      expected,
      { atol: 1e-5 },
    );
    const onlyFirst = tf.tile(tf.tensor3d([[[1, 0, 0, 0, 0]]]), [2, 5, 1]);
    const [, s] = layer.apply([x, x], {
      attentionMask: onlyFirst,
      returnAttentionScores: true,
    }) as tf.Tensor[];
    expect(tf.slice(s as tf.Tensor, [0, 0, 0, 0], [2, 2, 5, 1])).toBeAllclose(
      tf.ones([2, 2, 5, 1]),
      { atol: 1e-6 },
    );
    // A value mask is the same as an attention mask over keys.
    const valueMask = tf.tensor2d(
      [
        [true, false, false, false, false],
        [true, false, false, false, false],
      ],
      [2, 5],
      'bool',
    );
    const viaMask = layer.apply([x, x], { mask: [null as never, valueMask] }) as tf.Tensor;
    expect(viaMask).toBeAllclose(layer.apply([x, x], { attentionMask: onlyFirst }) as tf.Tensor, {
      atol: 1e-6,
    });
  });

  it('attends over chosen axes of a 4-D input; output_shape sets the last axis', () => {
    const layer = new MultiHeadAttention({
      numHeads: 2,
      keyDim: 3,
      attentionAxes: [2],
      outputShape: 6,
    });
    const x = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 4);
    const [out, scores] = layer.apply([x, x], { returnAttentionScores: true }) as tf.Tensor[];
    expect(out?.shape).toEqual([2, 3, 4, 6]);
    expect(scores?.shape).toEqual([2, 3, 2, 4, 4]);
    // Axis 1 is a batch axis for attention: each slice equals attention over that slice alone.
    const slice = tf.slice(x, [0, 1, 0, 0], [2, 1, 4, 5]);
    const alone = layer.apply([slice, slice]) as tf.Tensor;
    expect(alone).toBeAllclose(tf.slice(out as tf.Tensor, [0, 1, 0, 0], [2, 1, 4, 6]), {
      atol: 1e-5,
    });
  });

  it('dropout acts in training only; gradients reach every weight', async () => {
    const { x } = await fixtureLayer();
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.5, seed: 2 });
    const inference = layer.apply([x, x]) as tf.Tensor;
    expect(layer.apply([x, x])).toBeAllclose(inference);
    const training = layer.apply([x, x], { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(training, inference))).dataSync()[0]).toBeGreaterThan(1e-4);
    const vars = layer.trainableWeights.map((w) => w.read());
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(layer.apply([x, x]) as tf.Tensor)) as tf.Scalar,
      vars,
    );
    for (const v of vars)
      expect(tf.sum(tf.abs(grads[v.name] as tf.Tensor)).dataSync()[0]).toBeGreaterThan(0);
  });

  it('config round trip and errors', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' });
    layer.apply([tf.zeros([1, 5, 8]), tf.zeros([1, 5, 8])]);
    const config = layer.getConfig();
    expect(config).toMatchObject({
      name: 'mha',
      num_heads: 2,
      key_dim: 4,
      value_dim: 4,
      dropout: 0,
      use_bias: true,
      output_shape: null,
      attention_axes: [1],
    });
    const back = MultiHeadAttention.fromConfig(config);
    expect(back.getConfig()).toEqual(config);
    expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow(
      /Received: num_heads=0/,
    );
    expect(() =>
      layer.apply([tf.zeros([1, 5, 8]), tf.zeros([1, 5, 8])], {
        attentionMask: tf.ones([1, 4, 5]),
      }),
    ).toThrow(/attention_mask of shape \(1, 5, 5\)/);
  });
});
