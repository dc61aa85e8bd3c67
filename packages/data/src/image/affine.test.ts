import { describe, expect, it } from 'vitest';
import { applyAffine, flip, transformMatrix } from './affine.js';

// 3x3 single-channel image with distinct values in[r][c] = 10 r + c.
const img = Float32Array.from({ length: 9 }, (_, i) => 10 * Math.floor(i / 3) + (i % 3));
const at = (a: Float32Array, r: number, c: number) => a[r * 3 + c];

describe('affine transforms (Keras apply_affine_transform semantics)', () => {
  it('rotates by 90 degrees about the centre: out[r][c] = in[2 - c][r]', () => {
    const out = applyAffine(img, [3, 3, 1], { theta: 90 });
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) expect(at(out, r, c)).toBeCloseTo(at(img, 2 - c, r) as number, 5);
  });

  it('shifts rows with nearest fill: out[r][c] = in[min(r + 1, 2)][c]', () => {
    const out = applyAffine(img, [3, 3, 1], { tx: 1 });
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) expect(at(out, r, c)).toBe(at(img, Math.min(r + 1, 2), c));
  });

  it('fills with cval in constant mode', () => {
    const out = applyAffine(img, [3, 3, 1], { ty: -1 }, { fillMode: 'constant', cval: -5 });
    expect(Array.from(out)).toEqual([-5, 0, 1, -5, 10, 11, -5, 20, 21]);
  });

  it('zooms about the centre with bilinear interpolation', () => {
    // zx = zy = 0.5 reads in[(r - 1) / 2 + 1][(c - 1) / 2 + 1]: corners land halfway.
    const out = applyAffine(img, [3, 3, 1], { zx: 0.5, zy: 0.5 });
    expect(at(out, 0, 0)).toBeCloseTo(0.25 * (0 + 1 + 10 + 11), 5);
    expect(at(out, 1, 1)).toBe(11);
    expect(at(out, 2, 2)).toBeCloseTo(0.25 * (11 + 12 + 21 + 22), 5);
  });

  it('composes rotation, shift, shear and zoom in Keras order', () => {
    const m = transformMatrix({ theta: 30, tx: 2, ty: -1, shear: 10, zx: 1.2, zy: 0.8 }, 5, 7);
    const t = (30 * Math.PI) / 180;
    const s = (10 * Math.PI) / 180;
    // Closed form of R @ T @ S @ Z (2x2 part and translation), before centring.
    const a = Math.cos(t) * 1.2;
    const b = (-Math.cos(t) * Math.sin(s) - Math.sin(t) * Math.cos(s)) * 0.8;
    expect(m?.[0]).toBeCloseTo(a, 10);
    expect(m?.[1]).toBeCloseTo(b, 10);
    expect(transformMatrix({}, 5, 7)).toBeNull();
  });

  it('flips horizontally and vertically', () => {
    expect(Array.from(flip(img, [3, 3, 1], true))).toEqual([2, 1, 0, 12, 11, 10, 22, 21, 20]);
    expect(Array.from(flip(img, [3, 3, 1], false))).toEqual([20, 21, 22, 10, 11, 12, 0, 1, 2]);
  });
});
