// Where a keras-ts training step spends its time, kernel by kernel: every kernel registered for
// the backend is wrapped with a timer (the wasm kernels run synchronously, so the time between
// entry and return is the kernel's). Time in kernels a kernel calls is charged to the callee
// (self time). Also prints the time outside any kernel (the JS of layers, tape and optimizer).
// Usage: node kernel-profile.mjs <model> [steps] [backend]
import { ensureBackend } from '@keras-ts/backend';
import { optimizers } from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, lossFor, syntheticData } from './keras-models.mjs';
import { MODELS } from './shapes.mjs';

const [model = 'mlp', stepsArg = '20', backend = 'wasm'] = process.argv.slice(2);
const steps = Number(stepsArg);
tf.enableProdMode();
await ensureBackend(backend);
const spec = MODELS[model];
const m = buildModel(model);
m.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: lossFor(model) });
const data = syntheticData(model, steps);
await m.fit(data.x, data.y, { batchSize: spec.batch, epochs: 1, verbose: 0 });

const stats = new Map();
const stack = [];
for (const k of tf.getKernelsForBackend(backend)) {
  const inner = k.kernelFunc;
  const name = k.kernelName;
  tf.unregisterKernel(name, backend);
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const frame = { start: performance.now(), child: 0 };
      stack.push(frame);
      try {
        return inner(args);
      } finally {
        stack.pop();
        const total = performance.now() - frame.start;
        const parent = stack.at(-1);
        if (parent) parent.child += total;
        const s = stats.get(name) ?? { calls: 0, self: 0 };
        s.calls += 1;
        s.self += total - frame.child;
        stats.set(name, s);
      }
    },
  });
}

const t0 = performance.now();
await m.fit(data.x, data.y, { batchSize: spec.batch, epochs: 1, verbose: 0 });
const wall = performance.now() - t0;
const inKernels = [...stats.values()].reduce((a, s) => a + s.self, 0);
console.log(
  `${model}: ${steps} steps, ${(wall / steps).toFixed(1)} ms/step, ${((steps * spec.batch) / (wall / 1000)).toFixed(0)} samples/s (timers included)`,
);
console.log(`${'kernel'.padEnd(28)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)} calls/step`);
const rows = [...stats.entries()].sort((a, b) => b[1].self - a[1].self);
for (const [name, s] of rows.slice(0, 25)) {
  console.log(
    `${name.padEnd(28)} ${(s.self / steps).toFixed(2).padStart(8)} ${((100 * s.self) / wall).toFixed(1).padStart(5)}% ${(s.calls / steps).toFixed(1)}`,
  );
}
console.log(
  `${'(outside kernels)'.padEnd(28)} ${((wall - inKernels) / steps).toFixed(2).padStart(8)} ${((100 * (wall - inKernels)) / wall).toFixed(1).padStart(5)}%`,
);
