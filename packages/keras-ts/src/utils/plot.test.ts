import { ensureBackend } from '@keras-ts/backend';
import { Dense, Input, type Layer, type SymbolicTensor } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plotHistory } from './plot-history.js';
import { type PlottableModel, plotModel } from './plot-model.js';
import { toCategorical } from './to-categorical.js';

function graph(): PlottableModel {
  const a = Input({ shape: [4], name: 'in_a' });
  const b = Input({ shape: [4], name: 'in_b' });
  const shared = new Dense({ units: 3, name: 'shared', activation: 'tanh' });
  const ha = shared.apply(a) as SymbolicTensor;
  const hb = shared.apply(b) as SymbolicTensor;
  const out = new Dense({ units: 1, name: 'head' });
  out.apply(ha);
  out.apply(hb);
  const layers = [a, b].map((t) => t.kerasHistory?.layer as Layer);
  return { layers: [...layers, shared, out] as unknown as PlottableModel['layers'] };
}

describe('plotModel', () => {
  beforeAll(() => ensureBackend());

  it('draws one box per layer and one edge per connection, shared layers once', () => {
    const svg = plotModel(graph(), { showShapes: true });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<g class="layer"/g)?.length).toBe(4);
    // in_a -> shared, in_b -> shared, shared -> head (twice called, one edge).
    expect(svg.match(/<line x1/g)?.length).toBe(3);
    expect(svg).toContain('shared (Dense)');
    expect(svg).toContain('output: (None, 3)');
  });

  it('lays out left to right when asked', () => {
    const tb = plotModel(graph(), { rankdir: 'TB' });
    const lr = plotModel(graph(), { rankdir: 'LR' });
    const size = (s: string) =>
      s
        .match(/width="(\d+)" height="(\d+)"/)
        ?.slice(1)
        .map(Number) as number[];
    const [tw, th] = size(tb);
    const [lw, lh] = size(lr);
    expect((th as number) > (tw as number) / 2).toBe(true);
    expect((lw as number) > (lh as number)).toBe(true);
  });
});

describe('plotHistory', () => {
  it('draws one polyline per series with one point per epoch', () => {
    const svg = plotHistory({ history: { loss: [1, 0.5, 0.25], val_loss: [1.2, 0.7, 0.5] } });
    const lines = [...svg.matchAll(/data-name="(\w+)" points="([^"]*)"/g)];
    expect(lines.map((m) => m[1])).toEqual(['loss', 'val_loss']);
    expect(lines[0]?.[2]?.split(' ').length).toBe(3);
    expect(() => plotHistory({ history: { loss: [1] } }, { metrics: ['acc'] })).toThrow(
      "Unknown history key 'acc'",
    );
  });
});

describe('toCategorical', () => {
  beforeAll(() => ensureBackend());

  it('one-hot encodes ids, dropping a trailing unit dimension', () => {
    expect(toCategorical([0, 2, 1])).toBeAllclose([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    const col = tf.tensor2d([[1], [0]]);
    expect(toCategorical(col, 3)).toBeAllclose([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(() => toCategorical([0, 3], 3)).toThrow(
      'Class id 3 at index 1 is out of range for numClasses=3',
    );
    expect(() => toCategorical([0.5])).toThrow('Received: y[0]=0.5');
  });
});
