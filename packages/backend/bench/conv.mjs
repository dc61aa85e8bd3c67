// conv2d forward + backward on wasm (with @keras-ts/backend's kernels) versus the cpu backend,
// and against the wasm matMul rate measured in the same run. Done-when for issue 3 item 6:
// wasm >= 30x cpu and >= 40% of the matMul GFLOP/s.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ensureBackend } from '../dist/index.js';
import { fmt, gflops, timeMs } from './timing.mjs';

const layers = [
  // First layer of a small CNN: the input gradient is not needed there.
  { name: '28x28x1 -> 3x3x32', x: [32, 28, 28, 1], w: [3, 3, 1, 32], needDx: false },
  { name: '13x13x32 -> 3x3x64', x: [32, 13, 13, 32], w: [3, 3, 32, 64], needDx: true },
];

function convFlop(l) {
  const [n, h, w, ci] = l.x;
  const [kh, kw, , co] = l.w;
  const oh = h - kh + 1;
  const ow = w - kw + 1;
  const pass = 2 * n * oh * ow * kh * kw * ci * co;
  // forward + filter gradient (+ input gradient)
  return pass * (l.needDx ? 3 : 2);
}

// The layer's own forward and backward: the upstream gradient dy is given, as inside a network.
function step(l, x, w, dy) {
  const conv = (xx, ww) => tf.conv2d(xx, ww, 1, 'valid');
  if (l.needDx) return tf.grads(conv)([x, w], dy);
  return tf.grads((ww) => conv(x, ww))([w], dy);
}

function run(iters) {
  return layers.map((l) => {
    const x = tf.randomNormal(l.x);
    const w = tf.randomNormal(l.w);
    const dy = tf.randomNormal([l.x[0], l.x[1] - l.w[0] + 1, l.x[2] - l.w[1] + 1, l.w[3]]);
    const ms = timeMs(() => step(l, x, w, dy), { iters, warmup: 1 });
    tf.dispose([x, w, dy]);
    return { ms, gf: gflops(convFlop(l), ms) };
  });
}

await ensureBackend();
tf.enableProdMode();
await tf.setBackend('wasm');
const a = tf.randomNormal([512, 512]);
const b = tf.randomNormal([512, 512]);
const mmMs = timeMs(() => tf.matMul(a, b), { iters: 15, warmup: 3 });
const mmGf = gflops(2 * 512 ** 3, mmMs);
tf.dispose([a, b]);
const wasm = run(15);
await tf.setBackend('cpu');
const cpu = run(2);

console.log(`wasm matMul 512^3: ${mmGf.toFixed(2)} GFLOP/s`);
console.log(
  'conv2d fwd+bwd, batch 32'.padEnd(28),
  ' wasm ms',
  ' cpu ms',
  ' wasm GF/s',
  ' cpu GF/s',
  ' wasm/cpu',
  ' % of matMul',
);
layers.forEach((l, i) => {
  const w = wasm[i];
  const c = cpu[i];
  console.log(
    l.name.padEnd(28),
    fmt(w.ms),
    fmt(c.ms, 1),
    fmt(w.gf),
    fmt(c.gf),
    `${fmt(c.ms / w.ms, 1)}x`,
    `${fmt((100 * w.gf) / mmGf, 0)}%`,
  );
});
