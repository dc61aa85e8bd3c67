// Prefetch benchmark (issue: data workers): a Sequence whose getItem costs ~10 ms of CPU and a
// training step of ~10 ms on the main thread. With 0 workers the two run back to back; with 2
// worker threads the batches are prepared while the main thread computes.
// Run after `pnpm --filter @keras-ts/data build`: node packages/data/bench/workers.mjs

import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { Sequence } from '../dist/index.js';

const STEPS = Number(process.env.STEPS ?? 60);
const fixture = new URL('../src/workers/test-fixtures/squares.mjs', import.meta.url).href;

class Costly extends Sequence {
  constructor(args) {
    super();
    this.args = args;
  }
  get length() {
    return this.args.n;
  }
  getItem(i) {
    const end = performance.now() + this.args.costMs;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + i);
    return [tf.tensor2d([[i, i + 0.5]]), { out: tf.tensor2d([[i * i]]) }];
  }
  workerSpec() {
    return {
      moduleUrl: fixture,
      exportName: 'Squares',
      args: { n: this.args.n, costMs: this.args.costMs },
    };
  }
}

await ensureBackend();
const a = tf.randomNormal([256, 256]);
function step() {
  // A stand-in training step: wasm matMuls, read back like a loss value.
  const out = tf.tidy(() => {
    let h = a;
    for (let k = 0; k < 4; k++) h = tf.tanh(tf.matMul(h, a));
    return tf.sum(h);
  });
  out.dataSync();
  out.dispose();
}
// Calibrate the step to ~10 ms.
let reps = 1;
for (;;) {
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) step();
  const dt = performance.now() - t0;
  if (dt >= 9) break;
  reps = Math.max(reps + 1, Math.ceil((reps * 10) / Math.max(dt, 0.5)));
}
const modelStep = () => {
  for (let r = 0; r < reps; r++) step();
};
const t0 = performance.now();
modelStep();
const stepMs = performance.now() - t0;

const seq = new Costly({ n: STEPS, costMs: 10 });
async function run(workers) {
  const start = performance.now();
  for await (const [x, y] of seq.createEpochIterator({ workers, maxQueueSize: 8 })) {
    modelStep();
    tf.dispose([x, y.out]);
  }
  return STEPS / ((performance.now() - start) / 1000);
}

// Epoch 1 starts the worker threads; like fit's later epochs, the timed epoch reuses them.
await run(2);
const r0 = await run(0);
const r2 = await run(2);
await seq.closeWorkers();
console.log(`model step ~${stepMs.toFixed(1)} ms, getItem ~10 ms CPU, ${STEPS} steps`);
console.log(`workers=0: ${r0.toFixed(1)} steps/s`);
console.log(`workers=2: ${r2.toFixed(1)} steps/s`);
console.log(`speed-up: ${(r2 / r0).toFixed(2)}x (target >= 1.7x)`);
console.log(`numTensors after: ${tf.memory().numTensors - 1}`);
