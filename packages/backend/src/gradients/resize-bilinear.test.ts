import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectGradientsMatch } from './test-utils/grad-check.js';

beforeAll(() => ensureBackend());

const T4 = (t: unknown) => t as tf.Tensor4D;

describe('resizeBilinear gradient (separable adjoint)', () => {
  const flags: [boolean, boolean][] = [
    [false, false],
    [true, false],
    [false, true],
  ];
  const sizes: [number[], [number, number]][] = [
    [
      [1, 3, 4, 2],
      [5, 7],
    ], // upsample by non-integer factors
    [
      [2, 2, 2, 3],
      [4, 4],
    ], // UpSampling2D size 2
    [
      [1, 6, 5, 1],
      [3, 2],
    ], // downsample
    [
      [1, 1, 3, 2],
      [2, 6],
    ], // single source row
  ];
  for (const [shape, out] of sizes) {
    it.each(flags)(`shape ${shape} -> ${out} alignCorners=%s halfPixelCenters=%s`, async (a, h) => {
      await expectGradientsMatch((x) => tf.image.resizeBilinear(T4(x), out, a, h), [{ shape }], {
        rtol: 1e-4,
        atol: 1e-4,
      });
    });
  }

  it('halfPixelCenters width 2 -> 4 spreads dy by closed-form weights', () => {
    // width 2 -> 4, half-pixel: sources -0.25, 0.25, 0.75, 1.25 -> clamp to 0, 0.25, 0.75, 1.
    const dx = tf.grad((x: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.image.resizeBilinear(T4(x), [1, 4], false, true),
          tf.tensor4d([1, 10, 100, 1000], [1, 1, 4, 1]),
        ),
      ),
    )(tf.zeros([1, 1, 2, 1]));
    // x0 gets 1 + 0.75*10 + 0.25*100; x1 gets 0.25*10 + 0.75*100 + 1000.
    expect(Array.from(dx.dataSync())).toEqual([expect.closeTo(33.5, 4), expect.closeTo(1077.5, 4)]);
  });
});
