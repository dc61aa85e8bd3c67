// Shared timing helpers for the benchmark scripts (plain ESM: run with node, no build step).
import * as tf from '@tensorflow/tfjs-core';

/** Median milliseconds of `fn` over `iters` runs after `warmup` runs; results are read back. */
export function timeMs(fn, { iters = 10, warmup = 2 } = {}) {
  const once = () => {
    const t0 = performance.now();
    const out = tf.tidy(fn);
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    tf.dispose(out);
    return performance.now() - t0;
  };
  for (let i = 0; i < warmup; i++) once();
  const times = Array.from({ length: iters }, once).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export const gflops = (flop, ms) => flop / ms / 1e6;

export function fmt(n, digits = 2) {
  return n.toFixed(digits).padStart(8);
}
