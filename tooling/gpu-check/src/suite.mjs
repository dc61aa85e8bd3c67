#!/usr/bin/env node
// The GPU-machine check, one measurement per child process (each with a timeout, so a hung WebGPU
// costs one timeout, not the run): keras-ts vs tfjs-layers 4.22 on webgpu (MLP 784-1024-1024-10
// batch 256, the bench CNN batch 64), the loss agreement of keras-ts on webgpu and on cpu after the
// same 3 seeded epochs, and CNN data-parallel scaling over 1/2/4 CPU replicas.
// Prints one JSON line per measurement, then Markdown tables; writes $OUT/gpu-results.json (after
// every measurement, so a cut-off run still leaves what it measured).
//
//   node tooling/gpu-check/src/suite.mjs [--local] [--seconds S] [--budget S] [--only a,b]
//
// --local: no GPU here; the timed and loss runs use GPU_CHECK_BACKEND (default wasm) in place of
// webgpu, and webgpu is still tried once by the probe and once by keras-ts, which must both end in
// a clean "no adapter" error. --seconds: time per timed measurement (default 6). --budget: the
// whole suite's wall-clock limit in seconds (default 300); a measurement gets at most what is left.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const bench = path.join(root, 'tooling/bench/src');

function flag(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const local = process.argv.includes('--local');
const SECONDS = Number(flag('--seconds', 6));
const BUDGET_S = Number(flag('--budget', 300));
const only = flag('--only', '')?.split(',').filter(Boolean) ?? [];
const GPU = local ? (process.env.GPU_CHECK_BACKEND ?? 'wasm') : 'webgpu';
const S = String(SECONDS);
const onGpu = GPU === 'webgpu';
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;

const node = process.execPath;
const gc = (file) => path.join(here, file);
/** id, command, timeout (s), and whether it needs WebGPU (skipped once the probe has hung). */
const plan = [
  { id: 'probe', args: [gc('probe.mjs')], timeout: 45, webgpu: true },
  ...(local
    ? [
        {
          id: 'keras-ts-webgpu-no-adapter',
          args: [gc('keras-ts.mjs'), 'time', 'mlp', 'webgpu', '1'],
          timeout: 30,
          webgpu: true,
        },
      ]
    : []),
  {
    id: 'keras-ts-mlp',
    args: [gc('keras-ts.mjs'), 'time', 'mlp', GPU, S],
    timeout: 75,
    webgpu: onGpu,
  },
  {
    id: 'tfjs-layers-mlp',
    args: [gc('tfjs-layers.mjs'), 'mlp', GPU, S],
    timeout: 75,
    webgpu: onGpu,
  },
  {
    id: 'keras-ts-cnn',
    args: [gc('keras-ts.mjs'), 'time', 'cnn', GPU, S],
    timeout: 75,
    webgpu: onGpu,
  },
  {
    id: 'tfjs-layers-cnn',
    args: [gc('tfjs-layers.mjs'), 'cnn', GPU, S],
    timeout: 75,
    webgpu: onGpu,
  },
  {
    id: 'losses-gpu',
    args: [gc('keras-ts.mjs'), 'losses', 'mlp', GPU, '3', '2'],
    timeout: 60,
    webgpu: onGpu,
  },
  { id: 'losses-cpu', args: [gc('keras-ts.mjs'), 'losses', 'mlp', 'cpu', '3', '2'], timeout: 90 },
  { id: 'losses-wasm', args: [gc('keras-ts.mjs'), 'losses', 'mlp', 'wasm', '3', '2'], timeout: 45 },
  { id: 'replicas-1', args: [path.join(bench, 'replicas.mjs'), '1', S], timeout: 60 },
  { id: 'replicas-2', args: [path.join(bench, 'replicas.mjs'), '2', S], timeout: 60 },
  { id: 'replicas-4', args: [path.join(bench, 'replicas.mjs'), '4', S], timeout: 60 },
  { id: 'replicas-1-b256', args: [path.join(bench, 'replicas.mjs'), '1', S, '256'], timeout: 60 },
  { id: 'replicas-4-b256', args: [path.join(bench, 'replicas.mjs'), '4', S, '256'], timeout: 60 },
].filter((m) => only.length === 0 || only.includes(m.id));

const results = {
  date: new Date().toISOString(),
  local,
  gpuBackend: GPU,
  seconds: SECONDS,
  budgetSeconds: BUDGET_S,
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  runs: [],
};

function save() {
  if (!process.env.OUT) return;
  try {
    mkdirSync(process.env.OUT, { recursive: true });
    writeFileSync(
      path.join(process.env.OUT, 'gpu-results.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  } catch (err) {
    console.error(`could not write $OUT/gpu-results.json: ${err.message}`);
  }
}

function lastLines(text, n) {
  return (text ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/^\s+at /.test(l))
    .slice(-n)
    .join(' | ');
}

/** Runs one child; always returns an object (a parse or spawn failure becomes `error`). */
function measure(m, timeoutS) {
  const t0 = performance.now();
  let r;
  try {
    r = spawnSync(node, m.args, {
      cwd: root,
      encoding: 'utf8',
      timeout: timeoutS * 1000,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
      env: process.env,
    });
  } catch (err) {
    return { error: `spawn failed: ${err.message}` };
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const line = (r.stdout ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  let out = null;
  if (line) {
    try {
      out = JSON.parse(line);
    } catch (err) {
      out = { error: `unparsable output: ${err.message}` };
    }
  }
  if (r.error || r.signal) {
    const timedOut = r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGKILL';
    const why = timedOut
      ? `timed out after ${timeoutS} s (killed)`
      : String(r.error?.message ?? r.signal);
    return {
      ...(out ?? {}),
      error: `${why}; stderr: ${lastLines(r.stderr, 3).slice(0, 300)}`,
      timedOut,
      wallSeconds,
    };
  }
  if (!out) {
    return {
      error: `no JSON line (exit ${r.status}); stderr: ${lastLines(r.stderr, 3).slice(0, 300)}`,
      wallSeconds,
    };
  }
  return { ...out, exitCode: r.status, wallSeconds };
}

console.log(
  `keras-ts GPU check: ${local ? `LOCAL (webgpu swapped for '${GPU}')` : 'webgpu'}, ${SECONDS} s per timed run, ${BUDGET_S} s budget, ${results.cpus} CPUs, node ${process.version}`,
);
let webgpuHung = false;
for (const m of plan) {
  const left = BUDGET_S - elapsed();
  let r;
  if (m.webgpu && webgpuHung) {
    r = { error: 'skipped: the webgpu probe hung' };
  } else if (left < 15) {
    r = { error: `skipped: suite budget spent (${elapsed().toFixed(0)} s of ${BUDGET_S})` };
  } else {
    r = measure(m, Math.min(m.timeout, Math.floor(left)));
  }
  if (m.id === 'probe' && r.timedOut) webgpuHung = true;
  const entry = { id: m.id, ...r };
  results.runs.push(entry);
  console.log(JSON.stringify(entry));
  save();
}

// ---- Summary ----
const byId = Object.fromEntries(results.runs.map((r) => [r.id, r]));
const rate = (id) => byId[id]?.samplesPerSec;
const ratio = (a, b) => (rate(a) && rate(b) ? rate(a) / rate(b) : null);
const fmt = (v, d = 2) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(d));
const cell = (s) => String(s ?? '').replace(/\|/g, '/');

function lossAgreement(a, b) {
  const la = byId[a]?.losses;
  const lb = byId[b]?.losses;
  if (!la || !lb) return null;
  const rel = la.map((v, i) => Math.abs(v - lb[i]) / Math.max(Math.abs(lb[i]), 1e-12));
  const fa = byId[a].fingerprint;
  const fb = byId[b].fingerprint;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(fa.length, fb.length); i++) {
    dot += fa[i] * fb[i];
    na += fa[i] * fa[i];
    nb += fb[i] * fb[i];
  }
  return { maxRel: Math.max(...rel), cosine: dot / Math.sqrt(na * nb) };
}

const lines = [];
lines.push(
  '',
  `## keras-ts GPU check (${results.date}, ${local ? `local, '${GPU}' for webgpu` : 'webgpu'})`,
  '',
);
const probe = byId.probe;
lines.push(
  `WebGPU probe: ${probe?.error ? `error: ${probe.error}` : `${JSON.stringify(probe?.adapter)}; matMul ${probe?.size}^3 ${fmt(probe?.tflops)} TFLOP/s`}`,
  '',
);
lines.push(
  '| measurement | backend | model | batch | samples/s | numTensors after each epoch | warm-up s | peak RSS MB | wall s |',
);
lines.push('| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |');
for (const r of results.runs) {
  if (r.id === 'probe') continue;
  const value = r.error
    ? `error: ${cell(r.error).slice(0, 160)}`
    : r.samplesPerSec
      ? fmt(r.samplesPerSec, 1)
      : r.losses
        ? `losses ${r.losses.map((v) => v.toFixed(4)).join(', ')} (${fmt(r.seconds, 1)} s)`
        : '';
  const tensors = r.numTensorsPerEpoch
    ? `${[...new Set(r.numTensorsPerEpoch)].join(', ')} (${r.epochs} epochs)`
    : (r.numTensors ?? '');
  lines.push(
    `| ${r.id}${r.replicas ? ` (${r.replicas} replica${r.replicas > 1 ? 's' : ''})` : ''} | ${r.backend ?? ''} | ${r.model ?? ''} | ${r.batch ?? ''} | ${value} | ${tensors} | ${fmt(r.warmupSeconds, 1)} | ${fmt(r.peakRssMB, 0)} | ${fmt(r.wallSeconds, 1)} |`,
  );
}
const agreeCpu = lossAgreement('losses-gpu', 'losses-cpu');
const agreeWasm = lossAgreement('losses-gpu', 'losses-wasm');
const targets = [
  [`keras-ts / tfjs-layers, MLP, ${GPU}`, ratio('keras-ts-mlp', 'tfjs-layers-mlp'), '>= 2'],
  [`keras-ts / tfjs-layers, CNN, ${GPU}`, ratio('keras-ts-cnn', 'tfjs-layers-cnn'), '>= 2'],
  [
    `loss agreement ${GPU} vs cpu: max relative loss difference`,
    agreeCpu?.maxRel ?? null,
    '<= 0.05',
  ],
  [`update direction ${GPU} vs cpu: cosine`, agreeCpu?.cosine ?? null, '>= 0.99'],
  [
    `loss agreement ${GPU} vs wasm: max relative loss difference`,
    agreeWasm?.maxRel ?? null,
    '<= 0.05',
  ],
  [`update direction ${GPU} vs wasm: cosine`, agreeWasm?.cosine ?? null, '>= 0.99'],
  ['CNN 2 replicas / 1 (global batch 64)', ratio('replicas-2', 'replicas-1'), '(report)'],
  ['CNN 4 replicas / 1 (global batch 64)', ratio('replicas-4', 'replicas-1'), '(report)'],
  [
    'CNN 4 replicas / 1 (global batch 256)',
    ratio('replicas-4-b256', 'replicas-1-b256'),
    '(report)',
  ],
];
const met = (value, goal) => {
  if (value === null) return 'n/a';
  const [op, num] = goal.split(' ');
  if (op === '>=') return value >= Number(num) ? 'yes' : 'no';
  if (op === '<=') return value <= Number(num) ? 'yes' : 'no';
  return '';
};
lines.push('', '| target | value | goal | met |', '| --- | ---: | ---: | --- |');
for (const [name, value, goal] of targets) {
  lines.push(`| ${name} | ${fmt(value, 4)} | ${goal} | ${met(value, goal)} |`);
}
for (const id of ['losses-gpu', 'losses-cpu', 'losses-wasm']) {
  const r = byId[id];
  if (r)
    lines.push(`- ${id} (${r.backend}): ${r.losses ? r.losses.join(', ') : `error: ${r.error}`}`);
}
lines.push(
  `- total wall time ${elapsed().toFixed(1)} s; load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')}`,
);
results.summary = Object.fromEntries(targets.map(([name, value]) => [name, value]));
results.totalSeconds = elapsed();
save();
console.log(lines.join('\n'));
