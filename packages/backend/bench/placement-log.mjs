#!/usr/bin/env node
// Placement-log overhead: small kernels (where a per-kernel hook would show most) under
//   never  - a session that never logged
//   off    - logging turned on, then off again (the hooks removed)
//   on     - logging on, to a logger that drops the lines (the cost of the hook itself)
// Rounds interleave the modes so drift hits all alike; the medians are compared.
// Run after building the package: `npx tsc -p tsconfig.build.json && node bench/placement-log.mjs`.
import * as tf from '@tensorflow/tfjs-core';
import { ConfigProto, Session, setSession } from '../dist/index.js';

const OPS = Number(process.env.OPS ?? 20000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const backend = process.env.BACKEND ?? 'wasm';

function loop() {
  const start = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) tf.tidy(() => tf.add(a, b));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const sessions = {
  never: () => new Session({ backend }),
  off: () => new Session({ backend, config: new ConfigProto({ logDevicePlacement: false }) }),
  on: () =>
    new Session({
      backend,
      config: new ConfigProto({ logDevicePlacement: true }),
      logger: () => {},
    }),
};

const kernelsOf = () =>
  new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k.kernelFunc]));

await setSession(sessions.never());
const original = kernelsOf();
const a = tf.tensor1d([1, 2, 3, 4]);
const b = tf.tensor1d([4, 3, 2, 1]);
loop(); // warm-up: JIT and the wasm heap

const times = { never: [], off: [], on: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const mode of ['never', 'on', 'off']) {
    await setSession(sessions[mode]());
    times[mode].push(loop());
  }
}

// "off" must be the untouched registry, not merely a cheap hook.
await setSession(sessions.off());
const same = [...kernelsOf()].every(([name, fn]) => original.get(name) === fn);

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const row = (mode) => {
  const ms = median(times[mode]);
  return `${mode.padEnd(6)} ${ms.toFixed(1).padStart(8)} ms  ${((ms * 1000) / OPS).toFixed(3)} us/op  (${times[mode].map((t) => t.toFixed(0)).join(' ')})`;
};
console.log(
  `placement log overhead, backend=${backend}, ${OPS} x tf.add(4) per round, ${ROUNDS} rounds (median)`,
);
for (const mode of ['never', 'off', 'on']) console.log(row(mode));
const offVsNever = (median(times.off) / median(times.never) - 1) * 100;
console.log(
  `off vs never: ${offVsNever >= 0 ? '+' : ''}${offVsNever.toFixed(1)}% (noise level; same kernel functions: ${same})`,
);
if (!same) process.exit(1);
