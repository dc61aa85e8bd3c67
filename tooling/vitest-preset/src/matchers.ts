import type { Tensor } from '@tensorflow/tfjs-core';

export interface AllcloseOptions {
  rtol?: number;
  atol?: number;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'dataSync' in v && 'shape' in v;
}

/** Flattens a number, nested array, typed array or tensor into shape + values. */
export function flatten(value: unknown): { shape: number[]; values: number[] } {
  if (isTensor(value)) {
    return { shape: [...value.shape], values: Array.from(value.dataSync() as ArrayLike<number>) };
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return { shape: [], values: [Number(value)] };
  }
  if (ArrayBuffer.isView(value)) {
    const arr = Array.from(value as unknown as ArrayLike<number>);
    return { shape: [arr.length], values: arr };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { shape: [0], values: [] };
    const parts = value.map((v) => flatten(v));
    const inner = parts[0]?.shape ?? [];
    for (const p of parts) {
      if (p.shape.join(',') !== inner.join(',')) {
        throw new Error(`ragged nested array: [${p.shape}] vs [${inner}]`);
      }
    }
    return { shape: [value.length, ...inner], values: parts.flatMap((p) => p.values) };
  }
  throw new Error(`toBeAllclose cannot read a value of type ${typeof value}`);
}

/**
 * numpy.allclose semantics: |a - e| <= atol + rtol * |e| elementwise, shapes broadcast only for a
 * scalar expectation. NaN equals NaN only at the same position.
 */
export function allclose(actual: unknown, expected: unknown, opts: AllcloseOptions = {}) {
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  const a = flatten(actual);
  const e = flatten(expected);
  const scalarExpected = e.values.length === 1 && e.shape.length === 0;
  if (!scalarExpected && a.shape.join(',') !== e.shape.join(',')) {
    return { pass: false, message: `shape [${a.shape}] differs from expected [${e.shape}]` };
  }
  let worst = -1;
  let worstDiff = 0;
  for (let i = 0; i < a.values.length; i++) {
    const av = a.values[i] as number;
    const ev = (scalarExpected ? e.values[0] : e.values[i]) as number;
    if (Number.isNaN(av) && Number.isNaN(ev)) continue;
    const diff = Math.abs(av - ev);
    const tol = atol + rtol * Math.abs(ev);
    if (!(diff <= tol) && (worst < 0 || diff > worstDiff)) {
      worst = i;
      worstDiff = diff;
    }
  }
  if (worst < 0)
    return { pass: true, message: `values are all close (rtol=${rtol}, atol=${atol})` };
  const ev = scalarExpected ? e.values[0] : e.values[worst];
  return {
    pass: false,
    message:
      `values differ beyond rtol=${rtol}, atol=${atol}: worst at flat index ${worst}: ` +
      `got ${a.values[worst]}, expected ${ev} (|diff| = ${worstDiff})`,
  };
}

export const matchers = {
  toBeAllclose(received: unknown, expected: unknown, opts?: AllcloseOptions) {
    const { pass, message } = allclose(received, expected, opts);
    return { pass, message: () => message };
  },
};
