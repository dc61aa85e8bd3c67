import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import * as constraints from './index.js';

beforeAll(() => ensureBackend());

describe('constraints', () => {
  it('MaxNorm, MinMaxNorm, NonNeg, UnitNorm (axis 0 = per column of a kernel)', () => {
    const w = tf.tensor2d([
      [3, 0.3],
      [4, 0.4],
    ]); // column norms 5 and 0.5
    expect(new constraints.MaxNorm({ maxValue: 1 }).call(w)).toBeAllclose(
      [
        [0.6, 0.3],
        [0.8, 0.4],
      ],
      { atol: 1e-6 },
    );
    expect(new constraints.UnitNorm().call(w)).toBeAllclose(
      [
        [0.6, 0.6],
        [0.8, 0.8],
      ],
      { atol: 1e-6 },
    );
    expect(new constraints.MinMaxNorm({ minValue: 1, maxValue: 2 }).call(w)).toBeAllclose(
      [
        [1.2, 0.6],
        [1.6, 0.8],
      ],
      { atol: 1e-5 },
    );
    expect(new constraints.NonNeg().call(tf.tensor1d([-1, 2]))).toBeAllclose([0, 2]);
    expect(constraints.serialize(constraints.get('max_norm'))).toEqual({
      module: 'keras.constraints',
      class_name: 'MaxNorm',
      config: { max_value: 2, axis: 0 },
      registered_name: null,
    });
    expect(
      constraints.get({ class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } })?.getConfig(),
    ).toEqual({
      max_value: 3,
      axis: 0,
    });
  });
});
