// Worker for the all-reduce tests: sums a rank-dependent vector `steps` times, and publishes its
// share of a weight vector (all values = the step) after each step.
import { parentPort, workerData } from 'node:worker_threads';
import { AllReduce } from '../../dist/allreduce.js';

const { buffers, rank, steps, dieAt, owners } = workerData;
const ar = new AllReduce(buffers, rank);
const results = [];
try {
  for (let s = 0; s < steps; s++) {
    if (s === dieAt) process.exit(7);
    const local = ar.contribution();
    for (let i = 0; i < local.length; i++) local[i] = (rank + 1) * (i + 1) + s;
    results.push(Array.from(ar.reduce(0.5)));
    ar.commit((slot) => {
      for (let i = 0; i < slot.length; i++) if (owners[i] === rank) slot[i] = s;
    });
  }
  parentPort.postMessage({ ok: true, results });
} catch (err) {
  parentPort.postMessage({ ok: false, name: err.name, message: err.message });
}
