// Worker for the all-reduce tests: sums a rank-dependent vector `steps` times.
import { parentPort, workerData } from 'node:worker_threads';
import { AllReduce } from '../../dist/allreduce.js';

const { buffers, rank, steps, dieAt } = workerData;
const ar = new AllReduce(buffers, rank);
const results = [];
try {
  for (let s = 0; s < steps; s++) {
    if (s === dieAt) process.exit(7);
    const local = Float32Array.from({ length: buffers.length }, (_, i) => (rank + 1) * (i + 1) + s);
    results.push(Array.from(ar.sum(local, 0.5)));
    if (rank === 0) ar.commitWeights(Float32Array.from({ length: buffers.weightLength }, () => s));
  }
  parentPort.postMessage({ ok: true, results });
} catch (err) {
  parentPort.postMessage({ ok: false, name: err.name, message: err.message });
}
