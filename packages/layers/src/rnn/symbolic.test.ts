import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { MultiHeadAttention } from '../attention/multi-head-attention.js';
import { Input } from '../engine/input-layer.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import { Bidirectional } from './bidirectional.js';
import { ConvLSTM2D } from './conv-lstm.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';

beforeAll(() => ensureBackend());

const shapes = (out: SymbolicTensor | SymbolicTensor[]) =>
  (Array.isArray(out) ? out : [out]).map((t) => t.shape);

describe('symbolic calls (functional graphs)', () => {
  it('recurrent layers report Keras output shapes and record nodes', () => {
    const x = Input({ shape: [5, 3] });
    const lstm = new LSTM({ units: 2, returnState: true, returnSequences: true });
    expect(shapes(lstm.apply(x))).toEqual([
      [null, 5, 2],
      [null, 2],
      [null, 2],
    ]);
    expect(lstm.inboundNodes.length).toBe(1);
    const h0 = Input({ shape: [4] });
    const gru = new GRU({ units: 4 });
    expect(shapes(gru.apply(x, { initialState: [h0] }))).toEqual([[null, 4]]);
    expect(gru.inboundNodes[0]?.inputTensors.length).toBe(2);
    expect(shapes(new Bidirectional({ layer: new LSTM({ units: 3 }) }).apply(x))).toEqual([
      [null, 6],
    ]);
    const frames = Input({ shape: [2, 6, 6, 1] });
    expect(shapes(new ConvLSTM2D({ filters: 4, kernelSize: 3 }).apply(frames))).toEqual([
      [null, 4, 4, 4],
    ]);
  });

  it('MultiHeadAttention with returnAttentionScores gives two symbolic outputs', () => {
    const q = Input({ shape: [5, 8] });
    const out = new MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([q, q], {
      returnAttentionScores: true,
    });
    expect(shapes(out)).toEqual([
      [null, 5, 8],
      [null, 2, 5, 5],
    ]);
  });
});
