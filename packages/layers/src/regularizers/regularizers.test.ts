import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import * as regularizers from './index.js';

beforeAll(() => ensureBackend());

describe('regularizers', () => {
  it('L1, L2, L1L2 penalties', () => {
    const w = tf.tensor2d([
      [1, -2],
      [3, -4],
    ]);
    expect(regularizers.l1(0.1).call(w)).toBeAllclose(1.0);
    expect(regularizers.l2(0.01).call(w)).toBeAllclose(0.3);
    expect(new regularizers.L1L2({ l1: 0.1, l2: 0.01 }).call(w)).toBeAllclose(1.3);
    expect(regularizers.get('l1_l2')?.getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(regularizers.get('l2')?.getConfig()).toEqual({ l2: 0.01 });
    expect(() => regularizers.l1(-1)).toThrow(/Received: l1=-1/);
  });

  it('OrthogonalRegularizer is zero for orthogonal rows and positive otherwise', () => {
    const r = new regularizers.OrthogonalRegularizer({ factor: 1 });
    expect(r.call(tf.eye(3))).toBeAllclose(0, { atol: 1e-7 });
    // rows [1,0] and [1,1]/sqrt2: |cos| = 1/sqrt2 on both off-diagonal entries -> mean = 1/sqrt2
    expect(
      r.call(
        tf.tensor2d([
          [1, 0],
          [1, 1],
        ]),
      ),
    ).toBeAllclose(Math.SQRT1_2, { atol: 1e-6 });
    expect(new regularizers.OrthogonalRegularizer({ mode: 'columns' }).getConfig()).toEqual({
      factor: 0.01,
      mode: 'columns',
    });
  });

  it('round-trips Keras 3 dicts', () => {
    const s = regularizers.serialize(regularizers.l2(0.0001));
    expect(s).toEqual({
      module: 'keras.regularizers',
      class_name: 'L2',
      config: { l2: 0.0001 },
      registered_name: null,
    });
    expect(regularizers.get(s)?.getConfig()).toEqual({ l2: 0.0001 });
    expect(
      regularizers.get({ class_name: 'L1L2', config: { l1: 0, l2: 0.5 } })?.getConfig(),
    ).toEqual({ l1: 0, l2: 0.5 });
  });
});
