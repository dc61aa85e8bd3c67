import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../core/dense.js';
import '../register.js';
import { TimeDistributed } from './time-distributed.js';

beforeAll(() => ensureBackend());

describe('TimeDistributed', () => {
  it('applies one Dense to every timestep with shared weights', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }) });
    const x = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 5);
    const out = td.apply(x) as tf.Tensor;
    expect(out.shape).toEqual([3, 4, 2]);
    expect(td.weights.length).toBe(2);
    const [kernel, bias] = td.getWeights() as [tf.Tensor, tf.Tensor];
    for (let t = 0; t < 4; t++) {
      const step = tf.squeeze(tf.slice(x, [0, t, 0], [3, 1, 5]), [1]);
      expect(tf.squeeze(tf.slice(out, [0, t, 0], [3, 1, 2]), [1])).toBeAllclose(
        tf.add(tf.matMul(step, kernel), bias),
        {
          atol: 1e-5,
        },
      );
    }
    expect(td.computeOutputShape([null, 4, 5])).toEqual([null, 4, 2]);
  });

  it('config round trip and errors', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }), name: 'td' });
    const config = td.getConfig();
    expect(config).toMatchObject({ name: 'td', layer: { class_name: 'Dense' } });
    expect(TimeDistributed.fromConfig(config).getConfig()).toEqual(config);
    expect(() => td.apply(tf.zeros([2, 3]))).toThrow(/at least 3 dimensions/);
    expect(() => td.apply(tf.zeros([2, 3, 4]), { mask: tf.ones([2, 4], 'bool') })).toThrow(
      /Expected mask shape prefix: \(2, 3\)/,
    );
    expect(() => new TimeDistributed({ layer: {} as never })).toThrow(/Layer` instance/);
  });
});
