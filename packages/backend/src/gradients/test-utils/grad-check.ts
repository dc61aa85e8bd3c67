import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InputSpec {
  shape: number[];
  /** Explicit values; otherwise uniform in [lo, hi). */
  values?: number[];
  lo?: number;
  hi?: number;
  /** Distinct values on a 0.1 grid, shuffled: no ties for max/min/maxPool within eps. */
  distinct?: boolean;
  /** Keep values at least 0.05 away from these kinks (relu at 0, relu6 at 6, ...). */
  awayFrom?: number[];
}

export interface GradCheckOptions {
  seed?: number;
  eps?: number;
  rtol?: number;
  atol?: number;
}

function makeValues(spec: InputSpec, next: () => number): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.values) return Float32Array.from(spec.values);
  if (spec.distinct) {
    const vals = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1 + 0.03);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [vals[i], vals[j]] = [vals[j] as number, vals[i] as number];
    }
    return Float32Array.from(vals);
  }
  const lo = spec.lo ?? -1;
  const hi = spec.hi ?? 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = lo + (hi - lo) * next();
    while ((spec.awayFrom ?? []).some((k) => Math.abs(v - k) < 0.05)) v = lo + (hi - lo) * next();
    out[i] = v;
  }
  return out;
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

/** Weighted sum of every output, in float64 on the JS side (less roundoff for differences). */
function lossValue(fn: Fn, xs: Tensor[], weights: Float64Array[]): number {
  const outs = tf.tidy(() => {
    const o = fn(...xs);
    return Array.isArray(o) ? o : [o];
  });
  let total = 0;
  outs.forEach((o, k) => {
    const data = o.dataSync();
    const w = weights[k] as Float64Array;
    for (let i = 0; i < data.length; i++) total += (data[i] as number) * (w[i] as number);
  });
  tf.dispose(outs);
  return total;
}

/**
 * Checks tf.grads of `fn` on the active backend against central finite differences computed
 * with the cpu backend's forward kernels (a second implementation). The scalar checked is
 * sum_k <w_k, out_k> with fixed random weights, so every output entry matters.
 */
export async function expectGradientsMatch(
  fn: Fn,
  specs: InputSpec[],
  options: GradCheckOptions = {},
): Promise<void> {
  const next = rng(options.seed ?? 1234);
  const eps = options.eps ?? 3e-3;
  const values = specs.map((s) => makeValues(s, next));
  const target = tf.getBackend();

  const probe = tf.tidy(() => {
    const o = fn(...values.map((v, i) => tf.tensor(v, (specs[i] as InputSpec).shape)));
    return (Array.isArray(o) ? o : [o]).map((t) => t.size);
  });
  const weights = probe.map((n) => Float64Array.from({ length: n }, () => next() * 2 - 1));

  const analytic = tf.tidy(() => {
    const xs = values.map((v, i) => tf.tensor(v, (specs[i] as InputSpec).shape));
    const ws = weights.map((w) => tf.tensor(Float32Array.from(w)));
    const loss = (...args: Tensor[]) => {
      const o = fn(...args);
      const outs = Array.isArray(o) ? o : [o];
      return tf.addN(outs.map((t, k) => tf.sum(tf.mul(tf.reshape(t, [-1]), ws[k] as Tensor))));
    };
    return tf
      .grads(loss)(xs)
      .map((g) => Array.from(g.dataSync()));
  });

  await tf.setBackend('cpu');
  try {
    values.forEach((v, i) => {
      const numeric = new Array<number>(v.length);
      for (let j = 0; j < v.length; j++) {
        const at = (delta: number) => {
          const copy = Float32Array.from(v);
          copy[j] = (copy[j] as number) + delta;
          const xs = values.map((u, k) =>
            tf.tensor(k === i ? copy : u, (specs[k] as InputSpec).shape),
          );
          const out = lossValue(fn, xs, weights);
          tf.dispose(xs);
          return out;
        };
        numeric[j] = (at(eps) - at(-eps)) / (2 * eps);
      }
      expect(analytic[i], `gradient of input #${i}`).toBeAllclose(numeric, {
        rtol: options.rtol ?? 1e-2,
        atol: options.atol ?? 2e-3,
      });
    });
  } finally {
    await tf.setBackend(target);
  }
}
