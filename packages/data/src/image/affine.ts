/**
 * Affine resampling of one image, as Keras's `apply_affine_transform` does through
 * `scipy.ndimage.affine_transform` (order 1 = bilinear): output pixel o reads the input at
 * `M @ o + offset`, with Keras's transform composed about the image centre.
 */

export type FillMode = 'nearest' | 'constant' | 'reflect' | 'wrap';

export interface AffineParams {
  /** Rotation in degrees. */
  theta?: number;
  /** Shift along rows (pixels). */
  tx?: number;
  /** Shift along columns (pixels). */
  ty?: number;
  /** Shear angle in degrees. */
  shear?: number;
  /** Zoom along rows (1 = none). */
  zx?: number;
  /** Zoom along columns. */
  zy?: number;
}

export type Mat3 = [number, number, number, number, number, number, number, number, number];

function mul(a: Mat3, b: Mat3): Mat3 {
  const out = new Array(9).fill(0) as Mat3;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += (a[r * 3 + k] as number) * (b[k * 3 + c] as number);
      out[r * 3 + c] = s;
    }
  }
  return out;
}

/** Keras's composed matrix (rotation, shift, shear, zoom), about the centre of an h x w image. */
export function transformMatrix(p: AffineParams, h: number, w: number): Mat3 | null {
  const { theta = 0, tx = 0, ty = 0, shear = 0, zx = 1, zy = 1 } = p;
  let m: Mat3 | null = null;
  const compose = (t: Mat3) => {
    m = m ? mul(m, t) : t;
  };
  if (theta !== 0) {
    const t = (theta * Math.PI) / 180;
    compose([Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1]);
  }
  if (tx !== 0 || ty !== 0) compose([1, 0, tx, 0, 1, ty, 0, 0, 1]);
  if (shear !== 0) {
    const s = (shear * Math.PI) / 180;
    compose([1, -Math.sin(s), 0, 0, Math.cos(s), 0, 0, 0, 1]);
  }
  if (zx !== 1 || zy !== 1) compose([zx, 0, 0, 0, zy, 0, 0, 0, 1]);
  if (!m) return null;
  const ox = h / 2 - 0.5;
  const oy = w / 2 - 0.5;
  return mul(mul([1, 0, ox, 0, 1, oy, 0, 0, 1], m), [1, 0, -ox, 0, 1, -oy, 0, 0, 1]);
}

function mapCoord(i: number, n: number, mode: FillMode): number {
  // Returns -1 for "outside" (constant mode); scipy's conventions for the others.
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      if (n === 1) return 0;
      const period = 2 * n;
      let k = ((i % period) + period) % period;
      if (k >= n) k = period - 1 - k;
      return k;
    }
    default:
      return -1;
  }
}

/**
 * Applies `params` to an image stored row-major as [h, w, c] (channels last). Returns a new
 * array; the input is untouched.
 */
export function applyAffine(
  image: Float32Array,
  shape: [number, number, number],
  params: AffineParams,
  options: { fillMode?: FillMode; cval?: number } = {},
): Float32Array {
  const [h, w, c] = shape;
  const m = transformMatrix(params, h, w);
  if (!m) return image.slice();
  const { fillMode = 'nearest', cval = 0 } = options;
  const out = new Float32Array(h * w * c);
  const [a, b, o0, d, e, o1] = [m[0], m[1], m[2], m[3], m[4], m[5]];
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < w; col++) {
      const sr = a * r + b * col + o0;
      const sc = d * r + e * col + o1;
      const r0 = Math.floor(sr);
      const c0 = Math.floor(sc);
      const fr = sr - r0;
      const fc = sc - c0;
      const base = (r * w + col) * c;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let dr = 0; dr < 2; dr++) {
          const wr = dr === 0 ? 1 - fr : fr;
          if (wr === 0) continue;
          const rr = mapCoord(r0 + dr, h, fillMode);
          for (let dc = 0; dc < 2; dc++) {
            const wc = dc === 0 ? 1 - fc : fc;
            if (wc === 0) continue;
            const cc = mapCoord(c0 + dc, w, fillMode);
            const v = rr < 0 || cc < 0 ? cval : (image[(rr * w + cc) * c + ch] as number);
            acc += wr * wc * v;
          }
        }
        out[base + ch] = acc;
      }
    }
  }
  return out;
}

/** Mirrors an [h, w, c] image along columns (`horizontal`) or rows. */
export function flip(
  image: Float32Array,
  shape: [number, number, number],
  horizontal: boolean,
): Float32Array {
  const [h, w, c] = shape;
  const out = new Float32Array(image.length);
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < w; col++) {
      const sr = horizontal ? r : h - 1 - r;
      const sc = horizontal ? w - 1 - col : col;
      for (let ch = 0; ch < c; ch++)
        out[(r * w + col) * c + ch] = image[(sr * w + sc) * c + ch] as number;
    }
  }
  return out;
}
