// Shared timing helpers for the benchmark scripts (plain ESM: run with node after a build).
import * as tf from '@tensorflow/tfjs-core';

/**
 * Milliseconds of `fn`, the fastest of `iters` runs after `warmup` runs, results read back.
 * Measured as this process's CPU time, not wall time: tfjs wasm and cpu run on one thread here,
 * and CPU time stays meaningful on a machine shared with other work (wall time does not).
 */
export function timeMs(fn, { iters = 10, warmup = 2 } = {}) {
  const once = () => {
    const c0 = process.cpuUsage();
    const out = tf.tidy(fn);
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    tf.dispose(out);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  for (let i = 0; i < warmup; i++) once();
  return Math.min(...Array.from({ length: iters }, once));
}

export const gflops = (flop, ms) => flop / ms / 1e6;

export function fmt(n, digits = 2) {
  return n.toFixed(digits).padStart(8);
}
