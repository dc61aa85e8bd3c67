#!/usr/bin/env node
// `pnpm bench`: keras-ts, tfjs-layers and PyTorch CPU on the same models, in one run, each
// measurement in its own process (fresh heap, its own peak RSS). Prints a table with the ratios
// the performance issue targets and writes bench-results/results.{json,md}.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODELS, trainFlopsPerSample } from './shapes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);

function runJson(cmd, args, timeoutMs = 180_000) {
  const r = spawnSync(cmd, args, {
    cwd: here,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env },
  });
  const line = (r.stdout ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) {
    const why = r.error
      ? String(r.error.message)
      : (r.stderr ?? '').trim().split('\n').slice(-2).join(' ');
    return { error: why.slice(0, 200) || `exit ${r.status}` };
  }
  return JSON.parse(line);
}

// The first python that imports torch (a pyenv `python3` on PATH may hide Debian's, which is
// where python3-torch installs).
const python = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3']
  .filter(Boolean)
  .find((py) => spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
const torchAvailable = python !== undefined;
const results = {
  date: new Date().toISOString(),
  seconds: SECONDS,
  node: process.version,
  torchAvailable,
  runs: [],
};
const log = (r) => {
  results.runs.push(r);
  const what = `${r.runner}${r.backend ? ` ${r.backend}` : ''}${r.threads ? ` ${r.threads}t` : ''}${r.replicas ? ` x${r.replicas}` : ''} ${r.model ?? ''}`;
  console.log(
    `  ${what.padEnd(34)} ${r.error ? `error: ${r.error}` : r.samplesPerSec ? `${r.samplesPerSec.toFixed(1)} samples/s` : `${r.gflops?.toFixed(2)} GFLOP/s`}`,
  );
};

console.log(`keras-ts benchmark (${SECONDS} s per measurement)`);
log(runJson('node', ['matmul.mjs', '3']));
for (const model of Object.keys(MODELS)) {
  console.log(`\n${MODELS[model].label}`);
  log({
    ...runJson('node', ['keras-ts.mjs', model, String(SECONDS)]),
    runner: 'keras-ts',
    backend: 'wasm',
    model,
  });
  log(runJson('node', ['tfjs-layers.cjs', model, 'wasm', String(SECONDS)]));
  if (model === 'cnn') log(runJson('node', ['tfjs-layers.cjs', model, 'cpu', '1'], 400_000));
  if (torchAvailable) {
    for (const threads of [1, 2])
      log(runJson(python, ['torch_bench.py', model, String(threads), String(SECONDS)]));
  }
}
console.log('\nCNN data-parallel over CPU replicas (same global batch 64)');
for (const replicas of [1, 2])
  log({
    ...runJson('node', ['replicas.mjs', String(replicas), String(SECONDS)]),
    runner: 'keras-ts',
    replicas,
    model: 'cnn',
  });
// The machine's own ceiling for 2 replicas: two independent plain fits at batch 32, together.
log(runJson('node', ['ceiling.mjs', '2', String(SECONDS), '64']));

// Ratios against the targets of the performance issue.
const find = (p) => results.runs.find((r) => Object.entries(p).every(([k, v]) => r[k] === v));
const rate = (p) => find(p)?.samplesPerSec;
const ratio = (a, b) => (a && b ? a / b : null);
const matmul = find({ runner: 'matmul' })?.gflops;
const kt = (m) => rate({ runner: 'keras-ts', model: m, backend: 'wasm' });
const targets = [
  [
    'MLP vs tfjs-layers (wasm)',
    ratio(kt('mlp'), rate({ runner: 'tfjs-layers', model: 'mlp', backend: 'wasm' })),
    3,
  ],
  [
    'LSTM vs tfjs-layers (wasm)',
    ratio(kt('lstm'), rate({ runner: 'tfjs-layers', model: 'lstm', backend: 'wasm' })),
    5,
  ],
  [
    'CNN vs tfjs-layers (cpu backend)',
    ratio(kt('cnn'), rate({ runner: 'tfjs-layers', model: 'cnn', backend: 'cpu' })),
    100,
  ],
  [
    'MLP training GFLOP/s / wasm matMul GFLOP/s',
    kt('mlp') && matmul ? (kt('mlp') * trainFlopsPerSample('mlp')) / 1e9 / matmul : null,
    0.5,
  ],
  ...['mlp', 'cnn', 'lstm'].map((m) => [
    `${m.toUpperCase()} vs PyTorch 1 thread`,
    ratio(kt(m), rate({ runner: 'pytorch', model: m, threads: 1 })),
    0.2,
  ]),
  [
    'CNN 2 replicas vs 1 replica',
    ratio(
      rate({ runner: 'keras-ts', replicas: 2, model: 'cnn' }),
      rate({ runner: 'keras-ts', replicas: 1, model: 'cnn' }),
    ),
    1.8,
  ],
];
const ceiling = find({ runner: 'independent processes', processes: 2 })?.samplesPerSec;
const oneReplica = rate({ runner: 'keras-ts', replicas: 1, model: 'cnn' });
// Bookkeeping targets, over every keras-ts run: the live tensor count is the same after every
// epoch; at verbose 0 an epoch reads the device fewer times than it has batches (only the
// epoch-end logs); with a progress bar, reads stay within one per 0.1 s (plus the epoch ends).
const ktRuns = results.runs.filter((r) => r.runner === 'keras-ts' && !r.error);
const flat = (r) => new Set(r.numTensorsPerEpoch ?? []).size === 1;
const quiet = (r) => Math.max(...(r.hostReadsPerEpoch ?? [Infinity])) < r.batchesPerEpoch;
const mlpBar = find({ runner: 'keras-ts', model: 'mlp', backend: 'wasm' })?.progbar;
targets.push(
  ['keras-ts runs with a flat numTensors (of all)', ktRuns.filter(flat).length, ktRuns.length],
  [
    'keras-ts runs with no host read per batch at verbose 0 (of those with reads counted)',
    ktRuns.filter((r) => r.hostReadsPerEpoch && quiet(r)).length,
    ktRuns.filter((r) => r.hostReadsPerEpoch).length,
  ],
  [
    'MLP progress bar: host reads / (0.1 s ticks + 2 epoch ends)',
    mlpBar ? mlpBar.hostReads / (mlpBar.seconds / 0.1 + 2) : null,
    1,
    'max',
  ],
);
results.targets = targets.map(([name, value, target, kind]) => ({
  name,
  value,
  target,
  kind: kind ?? 'min',
  met: value !== null && (kind === 'max' ? value <= target : value >= target),
}));

function tensorCounts(r) {
  const counts = r.numTensorsPerEpoch ?? r.numTensorsPerStep ?? [];
  const unique = [...new Set(counts)];
  if (r.numTensorsPerEpoch && unique.length === 1) {
    return `${unique[0]} after each of ${counts.length} epochs`;
  }
  // tfjs-layers runs report the distinct counts seen after their steps.
  if (!r.numTensorsPerEpoch && unique.length === 1) return `${unique[0]} after every step`;
  return counts.join(', ');
}
const blas = results.runs.find((r) => r.runner === 'pytorch' && r.blas)?.blas;

const md = [
  '| runner | backend / threads | model | samples/s | numTensors per epoch | host reads per epoch | peak RSS MB |',
  '| --- | --- | --- | ---: | --- | --- | ---: |',
  ...results.runs
    .filter((r) => r.runner !== 'matmul')
    .map(
      (r) =>
        `| ${r.runner}${r.replicas ? ` (${r.replicas} replica${r.replicas > 1 ? 's' : ''})` : ''} | ${r.backend ?? `${r.threads} thread${r.threads > 1 ? 's' : ''}`} | ${r.model} | ${r.error ? `error: ${r.error.replace(/\|/g, '/')}` : r.samplesPerSec?.toFixed(1)} | ${tensorCounts(r)} | ${r.hostReadsPerEpoch ? `${[...new Set(r.hostReadsPerEpoch)].join(', ')} (of ${r.batchesPerEpoch} batches)` : ''} | ${r.peakRssMB ? r.peakRssMB.toFixed(0) : ''} |`,
    ),
  '',
  `wasm matMul 512^3: ${matmul ? matmul.toFixed(2) : '?'} GFLOP/s${blas ? `; PyTorch's BLAS: ${blas}` : ''}`,
  '',
  '| target | value | goal | met |',
  '| --- | ---: | ---: | --- |',
  ...results.targets.map(
    (t) =>
      `| ${t.name} | ${t.value === null ? 'n/a' : Number.isInteger(t.value) ? t.value : t.value.toFixed(2)} | ${t.kind === 'max' ? '<=' : '>='} ${t.target} | ${t.met ? 'yes' : 'no'} |`,
  ),
  '',
  `Two-core ceiling: two independent processes, each a plain fit of the CNN at batch 32, timed together: ${ceiling ? `${ceiling.toFixed(1)} samples/s, ${(ceiling / (oneReplica ?? Number.NaN)).toFixed(2)}x one replica` : 'n/a'}.`,
  '',
];
console.log(`\n${md.join('\n')}`);
const out = path.join(root, 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(out, 'results.md'), md.join('\n'));
console.log(
  `written: ${path.relative(root, path.join(out, 'results.json'))}, ${path.relative(root, path.join(out, 'results.md'))}`,
);
