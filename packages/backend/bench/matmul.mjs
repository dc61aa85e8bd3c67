// matMul on wasm: the stock kernel with transpose flags versus @keras-ts/backend's
// explicit-transpose kernel. Prints GFLOP/s; run `pnpm --filter @keras-ts/backend bench`.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { fmt, gflops, timeMs } from './timing.mjs';

const cases = [
  { name: '512x512 @ 512x512', a: [512, 512], b: [512, 512] },
  { name: 'Dense fwd x[128,784] @ W[784,256]', a: [128, 784], b: [784, 256] },
];
const flags = [
  [false, false],
  [true, false],
  [false, true],
];

function shapes(c, tA, tB) {
  const a = tA ? [c.a[1], c.a[0]] : c.a;
  const b = tB ? [c.b[1], c.b[0]] : c.b;
  return { a, b, flop: 2 * c.a[0] * c.a[1] * c.b[1] };
}

function measure() {
  const rows = [];
  for (const c of cases) {
    for (const [tA, tB] of flags) {
      const { a, b, flop } = shapes(c, tA, tB);
      const x = tf.randomNormal(a);
      const y = tf.randomNormal(b);
      const ms = timeMs(() => tf.matMul(x, y, tA, tB), { iters: 15, warmup: 3 });
      rows.push({ key: `${c.name} tA=${tA} tB=${tB}`, gf: gflops(flop, ms), ms });
      tf.dispose([x, y]);
    }
  }
  return rows;
}

tf.enableProdMode();
await tf.setBackend('wasm');
const stock = measure();
// Importing the package wraps the wasm matMul kernels (see src/kernels/fast-matmul.ts).
const { ensureBackend } = await import('../dist/index.js');
await ensureBackend();
const ours = measure();

console.log(`backend ${tf.getBackend()} (single thread), GFLOP/s (ms)`);
console.log('case'.padEnd(52), '   stock', '    ours', ' speedup');
stock.forEach((s, i) => {
  const o = ours[i];
  console.log(
    s.key.padEnd(52),
    fmt(s.gf),
    fmt(o.gf),
    `${fmt(s.ms / o.ms, 1)}x`,
    `  (${s.ms.toFixed(2)} -> ${o.ms.toFixed(2)} ms)`,
  );
});
