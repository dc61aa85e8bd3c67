// The wasm backend's matMul rate on this machine, measured in the same run as the models: the
// physical ceiling the MLP's training FLOP rate is compared with.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

const seconds = Number(process.argv[2] ?? 3);
tf.enableProdMode();
await tf.setBackend('wasm');
const n = 512;
const a = tf.randomNormal([n, n]);
const b = tf.randomNormal([n, n]);
tf.matMul(a, b).dispose();
let reps = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  const c = tf.matMul(a, b);
  c.dataSync();
  c.dispose();
  reps++;
}
const dt = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({ runner: 'matmul', backend: 'wasm', n, gflops: (reps * 2 * n ** 3) / dt / 1e9 }),
);
