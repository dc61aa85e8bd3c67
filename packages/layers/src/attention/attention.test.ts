import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { AdditiveAttention } from './additive-attention.js';
import { Attention } from './attention.js';

beforeAll(() => ensureBackend());

const query = () =>
  tf.tensor3d([
    [
      [1, 0],
      [0, 1],
    ],
  ]);
const key = () =>
  tf.tensor3d([
    [
      [0, 1],
      [1, 0],
    ],
  ]);
const value = () =>
  tf.tensor3d([
    [
      [1, 2],
      [3, 4],
    ],
  ]);

describe('Attention', () => {
  it("reproduces Keras's dot-score values and scores", () => {
    const layer = new Attention({ scoreMode: 'dot' });
    const [out, scores] = layer.apply([query(), value(), key()], {
      returnAttentionScores: true,
    }) as tf.Tensor[];
    expect(out).toBeAllclose(
      [
        [
          [2.462, 3.462],
          [1.538, 2.538],
        ],
      ],
      { atol: 1e-3 },
    );
    expect(scores).toBeAllclose(
      [
        [
          [0.269, 0.731],
          [0.731, 0.269],
        ],
      ],
      { atol: 1e-3 },
    );
  });

  it('concat scores: concat_score_weight * sum(tanh(q + k)) (closed form)', () => {
    const layer = new Attention({ scoreMode: 'concat' });
    const q = tf.tensor3d([[[0.5, 0]]]);
    const k = tf.tensor3d([
      [
        [0, 0],
        [1, 1],
      ],
    ]);
    const v = tf.tensor3d([[[1], [3]]]);
    // scores tanh(.5)+tanh(0) and tanh(1.5)+tanh(1): softmax weights 0.23066, 0.76934.
    expect(layer.apply([q, v, k])).toBeAllclose([[[2.5386931]]], { atol: 1e-5 });
    expect(layer.weights.map((w) => w.name)).toEqual(['concat_score_weight']);
  });

  it('causal mask: query i sees keys 0..i only', () => {
    const layer = new Attention();
    const x = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
    ]);
    const [, scores] = layer.apply([x, x], {
      returnAttentionScores: true,
      useCausalMask: true,
    }) as tf.Tensor[];
    const s = (scores as tf.Tensor).arraySync() as number[][][];
    expect(s[0]?.[0]).toEqual([1, 0, 0]);
    expect(s[0]?.[1]?.[2]).toBeCloseTo(0, 6);
    // Row 1 sees keys 0 and 1 with scores 0 and 1: weights 1/(1+e), e/(1+e).
    expect(s[0]?.[1]?.[1]).toBeCloseTo(Math.E / (1 + Math.E), 5);
  });

  it('value mask removes keys; query mask zeroes outputs; output mask is the query mask', () => {
    const layer = new Attention();
    const valueMask = tf.tensor2d([[true, false]], [1, 2], 'bool');
    const queryMask = tf.tensor2d([[true, false]], [1, 2], 'bool');
    const out = layer.apply([query(), value(), key()], {
      mask: [queryMask, valueMask],
    }) as tf.Tensor;
    // Only key 0 is visible: every query gets value 0; query 1 is masked out.
    expect(out).toBeAllclose(
      [
        [
          [1, 2],
          [0, 0],
        ],
      ],
      { atol: 1e-6 },
    );
    expect(layer.computeMask([query(), value()], [queryMask, valueMask])).toBe(queryMask);
  });

  it('use_scale learns a scalar; dropout only in training', () => {
    const layer = new Attention({ useScale: true, dropout: 0.5, seed: 1 });
    const a = layer.apply([query(), value(), key()]) as tf.Tensor;
    expect(a).toBeAllclose(
      [
        [
          [2.462, 3.462],
          [1.538, 2.538],
        ],
      ],
      { atol: 1e-3 },
    );
    layer.setWeights([tf.scalar(2)]);
    const [, scores] = layer.apply([query(), value(), key()], {
      returnAttentionScores: true,
    }) as tf.Tensor[];
    // scale 2: softmax([0, 2]) = [0.1192, 0.8808].
    expect(scores).toBeAllclose(
      [
        [
          [0.1192029, 0.8807971],
          [0.8807971, 0.1192029],
        ],
      ],
      { atol: 1e-6 },
    );
    const trained = layer.apply([query(), value(), key()], { training: true }) as tf.Tensor;
    expect(
      tf
        .any(tf.notEqual(trained, layer.apply([query(), value(), key()]) as tf.Tensor))
        .dataSync()[0],
    ).toBe(1);
  });

  it('errors and config', () => {
    expect(() => new Attention({ scoreMode: 'cosine' as never })).toThrow(
      /Received: score_mode=cosine/,
    );
    expect(() => new Attention().apply(query())).toThrow(/list of inputs/);
    expect(() => new Attention().apply([query()])).toThrow(/Received length: 1/);
    const config = new Attention({ useScale: true, scoreMode: 'concat', name: 'att' }).getConfig();
    expect(config).toMatchObject({
      name: 'att',
      use_scale: true,
      score_mode: 'concat',
      dropout: 0,
      seed: null,
    });
    expect(Attention.fromConfig(config).getConfig()).toEqual(config);
  });
});

describe('AdditiveAttention', () => {
  it('scores sum(scale * tanh(q + k)) (closed form)', () => {
    const layer = new AdditiveAttention();
    const q = tf.tensor3d([[[0.5, 0]]]);
    const k = tf.tensor3d([
      [
        [0, 0],
        [1, 1],
      ],
    ]);
    const v = tf.tensor3d([[[1], [3]]]);
    layer.apply([q, v, k]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[2]]);
    layer.setWeights([tf.tensor1d([1, 1])]);
    expect(layer.apply([q, v, k])).toBeAllclose([[[2.5386931]]], { atol: 1e-5 });
    const config = layer.getConfig();
    expect(config).not.toHaveProperty('score_mode');
    expect(config).toMatchObject({ use_scale: true });
  });
});
