/**
 * Plain-loop reference implementations (channels_last, float64) of the math the conv and pooling
 * layers compute, written from the definitions (TF padding rules as documented for tf.nn.conv2d /
 * conv2d_transpose / avg_pool). Keras's own tests compare its layers against numpy references of
 * the same kind; these play that role here. Test-only: excluded from the build.
 */

export interface NdArray {
  data: number[];
  shape: number[];
}

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--)
    out[i] = (out[i + 1] as number) * (shape[i + 1] as number);
  return out;
}

function* indices(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < total; n++) {
    yield [...idx];
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
}

function at(a: NdArray, idx: readonly number[]): number {
  const st = strides(a.shape);
  let off = 0;
  for (let i = 0; i < idx.length; i++) off += (idx[i] as number) * (st[i] as number);
  return a.data[off] as number;
}

/** Deterministic pseudo-random values in [-1, 1), so tests need no RNG. */
export function sample(shape: number[], seed = 1): NdArray {
  const n = shape.reduce((a, b) => a * b, 1);
  let s = seed >>> 0 || 1;
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data.push(Math.fround((s / 2 ** 32) * 2 - 1));
  }
  return { data, shape };
}

/** TF's padding for one dimension: [before, after]. */
export function tfPads(
  len: number,
  k: number,
  s: number,
  d: number,
  padding: 'valid' | 'same' | 'causal',
): [number, number] {
  const keff = (k - 1) * d + 1;
  if (padding === 'valid') return [0, 0];
  if (padding === 'causal') return [keff - 1, 0];
  const out = Math.ceil(len / s);
  const total = Math.max((out - 1) * s + keff - len, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export interface RefConvArgs {
  strides: number[];
  dilation?: number[];
  padding: 'valid' | 'same' | 'causal';
  groups?: number;
  bias?: number[];
}

/** N-D convolution: x [b, ...spatial, c], kernel [...k, c / groups, f]. */
export function refConv(x: NdArray, kernel: NdArray, args: RefConvArgs): NdArray {
  const rank = x.shape.length - 2;
  const ks = kernel.shape.slice(0, rank);
  const cinG = kernel.shape[rank] as number;
  const f = kernel.shape[rank + 1] as number;
  const groups = args.groups ?? 1;
  const fPerG = f / groups;
  const dil = args.dilation ?? new Array<number>(rank).fill(1);
  const pads: [number, number][] = [];
  const outSp: number[] = [];
  for (let i = 0; i < rank; i++) {
    const len = x.shape[i + 1] as number;
    const p = tfPads(
      len,
      ks[i] as number,
      args.strides[i] as number,
      dil[i] as number,
      args.padding,
    );
    pads.push(p);
    const keff = ((ks[i] as number) - 1) * (dil[i] as number) + 1;
    outSp.push(Math.floor((len + p[0] + p[1] - keff) / (args.strides[i] as number)) + 1);
  }
  const outShape = [x.shape[0] as number, ...outSp, f];
  const data: number[] = [];
  for (const o of indices(outShape)) {
    const b = o[0] as number;
    const fo = o[rank + 1] as number;
    const g = Math.floor(fo / fPerG);
    let acc = args.bias ? (args.bias[fo] as number) : 0;
    for (const t of indices(ks)) {
      const pos: number[] = [];
      let inside = true;
      for (let i = 0; i < rank; i++) {
        const p =
          (o[i + 1] as number) * (args.strides[i] as number) +
          (t[i] as number) * (dil[i] as number) -
          (pads[i] as [number, number])[0];
        if (p < 0 || p >= (x.shape[i + 1] as number)) inside = false;
        pos.push(p);
      }
      if (!inside) continue;
      for (let ci = 0; ci < cinG; ci++) {
        acc += at(x, [b, ...pos, g * cinG + ci]) * at(kernel, [...t, ci, fo]);
      }
    }
    data.push(acc);
  }
  return { data, shape: outShape };
}

/** Depthwise convolution: kernel [...k, c, m], output channel c * m + j. */
export function refDepthwise(x: NdArray, kernel: NdArray, args: RefConvArgs): NdArray {
  const rank = x.shape.length - 2;
  const c = x.shape[rank + 1] as number;
  const m = kernel.shape[rank + 1] as number;
  // A depthwise conv is a grouped conv with one group per input channel.
  const ks = kernel.shape.slice(0, rank);
  const grouped: number[] = [];
  for (const t of indices(ks)) {
    for (let ci = 0; ci < c; ci++)
      for (let j = 0; j < m; j++) grouped.push(at(kernel, [...t, ci, j]));
  }
  return refConv(x, { data: grouped, shape: [...ks, 1, c * m] }, { ...args, groups: c });
}

/** Keras's transposed-conv output length (`_get_output_shape_given_tf_padding`). */
export function refTransposeLength(
  len: number,
  k: number,
  s: number,
  d: number,
  padding: 'valid' | 'same',
  outputPadding: number | null,
): number {
  const keff = (k - 1) * d + 1;
  if (padding === 'valid')
    return (len - 1) * s + keff + (outputPadding ?? Math.max(keff, s) - keff);
  return outputPadding === null ? len * s : (len - 1) * s + (keff % 2) + outputPadding;
}

/** Transposed convolution by scattering: kernel [...k, f, c]. */
export function refConvTranspose(
  x: NdArray,
  kernel: NdArray,
  args: {
    strides: number[];
    dilation?: number[];
    padding: 'valid' | 'same';
    outputPadding?: number[] | null;
    bias?: number[];
  },
): NdArray {
  const rank = x.shape.length - 2;
  const ks = kernel.shape.slice(0, rank);
  const f = kernel.shape[rank] as number;
  const c = x.shape[rank + 1] as number;
  const dil = args.dilation ?? new Array<number>(rank).fill(1);
  const outSp: number[] = [];
  const before: number[] = [];
  for (let i = 0; i < rank; i++) {
    const len = x.shape[i + 1] as number;
    const k = ks[i] as number;
    const s = args.strides[i] as number;
    const d = dil[i] as number;
    const out = refTransposeLength(
      len,
      k,
      s,
      d,
      args.padding,
      args.outputPadding ? (args.outputPadding[i] as number) : null,
    );
    outSp.push(out);
    before.push(tfPads(out, k, s, d, args.padding)[0]);
  }
  const outShape = [x.shape[0] as number, ...outSp, f];
  const st = strides(outShape);
  const data = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0);
  for (const i of indices(x.shape.slice(0, -1))) {
    for (const t of indices(ks)) {
      const pos: number[] = [];
      let inside = true;
      for (let a = 0; a < rank; a++) {
        const p =
          (i[a + 1] as number) * (args.strides[a] as number) +
          (t[a] as number) * (dil[a] as number) -
          (before[a] as number);
        if (p < 0 || p >= (outSp[a] as number)) inside = false;
        pos.push(p);
      }
      if (!inside) continue;
      for (let fo = 0; fo < f; fo++) {
        let acc = 0;
        for (let ci = 0; ci < c; ci++) acc += at(x, [...i, ci]) * at(kernel, [...t, fo, ci]);
        const idx = [i[0] as number, ...pos, fo];
        let off = 0;
        for (let a = 0; a < idx.length; a++) off += (idx[a] as number) * (st[a] as number);
        data[off] = (data[off] as number) + acc;
      }
    }
  }
  if (args.bias)
    for (let n = 0; n < data.length; n++)
      data[n] = (data[n] as number) + (args.bias[n % f] as number);
  return { data, shape: outShape };
}

/** Max / average pooling (average over the real entries of each window, as TF). */
export function refPool(
  x: NdArray,
  args: {
    mode: 'max' | 'average';
    poolSize: number[];
    strides: number[];
    padding: 'valid' | 'same';
  },
): NdArray {
  const rank = x.shape.length - 2;
  const pads: [number, number][] = [];
  const outSp: number[] = [];
  for (let i = 0; i < rank; i++) {
    const len = x.shape[i + 1] as number;
    const p = tfPads(len, args.poolSize[i] as number, args.strides[i] as number, 1, args.padding);
    pads.push(p);
    outSp.push(
      Math.floor((len + p[0] + p[1] - (args.poolSize[i] as number)) / (args.strides[i] as number)) +
        1,
    );
  }
  const outShape = [x.shape[0] as number, ...outSp, x.shape[rank + 1] as number];
  const data: number[] = [];
  for (const o of indices(outShape)) {
    let acc = args.mode === 'max' ? -Infinity : 0;
    let count = 0;
    for (const t of indices(args.poolSize)) {
      const pos: number[] = [];
      let inside = true;
      for (let i = 0; i < rank; i++) {
        const p =
          (o[i + 1] as number) * (args.strides[i] as number) +
          (t[i] as number) -
          (pads[i] as [number, number])[0];
        if (p < 0 || p >= (x.shape[i + 1] as number)) inside = false;
        pos.push(p);
      }
      if (!inside) continue;
      const v = at(x, [o[0] as number, ...pos, o[rank + 1] as number]);
      acc = args.mode === 'max' ? Math.max(acc, v) : acc + v;
      count++;
    }
    data.push(args.mode === 'max' ? acc : acc / count);
  }
  return { data, shape: outShape };
}

/** Nested-array view of an NdArray, for `toBeAllclose`. */
export function nested(a: NdArray): unknown {
  const build = (dim: number, offset: number): unknown => {
    const st = strides(a.shape);
    if (dim === a.shape.length) return a.data[offset];
    return Array.from({ length: a.shape[dim] as number }, (_, i) =>
      build(dim + 1, offset + i * (st[dim] as number)),
    );
  };
  return build(0, 0);
}
