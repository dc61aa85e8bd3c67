// Is WebGPU there at all? Dawn's adapter (through the `webgpu` package), then a 4096^3 matMul on
// tfjs-backend-webgpu (tfjs-core alone, no keras-ts): the GPU's ceiling for these runners.
// Prints one JSON line. Usage: node probe.mjs [size]
import * as tf from '@tensorflow/tfjs-core';

const size = Number(process.argv[2] ?? 4096);
const result = { runner: 'probe', mode: 'webgpu', size };
try {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('webgpu (Dawn) found no GPU adapter');
  const info = adapter.info ?? {};
  result.adapter = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu },
    configurable: true,
    writable: true,
  });
  await import('@tensorflow/tfjs-backend-webgpu');
  tf.enableProdMode();
  if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') failed");
  result.backend = tf.getBackend();
  const a = tf.randomUniform([size, size]);
  const b = tf.randomUniform([size, size]);
  // Reading one element of the last product waits for all of them (one queue, in order) without
  // timing a 64 MB download.
  // An awaited read: the WebGPU backend in Node has no synchronous one.
  const run = async (reps) => {
    const corner = tf.tidy(() => {
      let c = null;
      for (let i = 0; i < reps; i++) c = tf.matMul(a, b);
      return tf.slice(c, [0, 0], [1, 1]);
    });
    await corner.data();
    corner.dispose();
  };
  await run(1);
  const reps = 10;
  const t0 = performance.now();
  await run(reps);
  const seconds = (performance.now() - t0) / 1000;
  result.tflops = (reps * 2 * size ** 3) / seconds / 1e12;
} catch (err) {
  result.error = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 300);
}
console.log(JSON.stringify(result));
process.exit(0);
