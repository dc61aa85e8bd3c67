// What two cores give without any data-parallel machinery: N independent processes, each a
// plain fit of the CNN at global batch / N, started together and timed over the same window.
// Their summed samples/s is the ceiling for N replicas on this machine (the cores share caches,
// memory bandwidth and, on a VM, whatever else runs on the host). Prints one JSON line.
// Usage: node ceiling.mjs <processes> [seconds] [globalBatch]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [nArg = '2', secondsArg = '6', batchArg = '64'] = process.argv.slice(2);
const n = Number(nArg);
const seconds = Number(secondsArg);
const globalBatch = Number(batchArg);
// Time for every process to load the backend and build the model before the window opens.
const startAt = Date.now() + 6000;

function run() {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(here, 'fit-window.mjs'),
        String(globalBatch / n),
        String(startAt),
        String(seconds),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      resolve(
        line.startsWith('{')
          ? JSON.parse(line)
          : { error: err.trim().slice(-160) || `exit ${code}` },
      );
    });
  });
}

const parts = await Promise.all(Array.from({ length: n }, run));
const failed = parts.find((p) => p.error);
const result = {
  runner: 'independent processes',
  backend: 'wasm',
  model: 'cnn',
  processes: n,
  batch: globalBatch,
};
if (failed) result.error = failed.error;
else {
  result.perProcess = parts.map((p) => +(p.samples / p.seconds).toFixed(1));
  result.samplesPerSec = result.perProcess.reduce((a, b) => a + b, 0);
}
console.log(JSON.stringify(result));
