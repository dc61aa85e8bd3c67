#!/usr/bin/env node
// The README's two commands. Only Node built-ins here: this runs before anything is installed.
//   node tooling/scripts/run.mjs start   install, build, run the MNIST sample app
//   node tooling/scripts/run.mjs test    install, build, lint, typecheck, test; prints "N passed, N failed"
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PNPM_VERSION = JSON.parse(
  readFileSync(path.join(root, 'package.json'), 'utf8'),
).packageManager.split('@')[1];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function sh(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

/** pnpm from PATH when it is the pinned version, otherwise fetched on the fly through npx. */
function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ['pnpm', []];
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}

function pnpm(args) {
  const [cmd, pre] = pnpmCommand();
  return sh(cmd, [...pre, ...args]);
}

function must(status, what) {
  if (status !== 0) {
    console.error(`\n${what} failed (exit ${status})`);
    process.exit(status || 1);
  }
}

function install() {
  const frozen =
    existsSync(path.join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
  must(pnpm(['install', ...frozen]), 'pnpm install');
}

/** Sums the vitest JSON reports of every package into the closing line CI reads. */
function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const missing = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pkgDir = path.join(dir, name);
      if (!existsSync(path.join(pkgDir, 'vitest.config.ts'))) continue;
      const report = path.join(pkgDir, '.reports/vitest.json');
      if (!existsSync(report)) {
        missing.push(`${group}/${name}`);
        failed += 1;
        continue;
      }
      const r = JSON.parse(readFileSync(report, 'utf8'));
      passed += r.numPassedTests ?? 0;
      failed +=
        (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0) - countSuitesWithFailedTests(r);
      skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    }
  }
  if (missing.length)
    console.error(`no test report from: ${missing.join(', ')} (counted as failed)`);
  return { passed, failed, skipped };
}

/** A suite that failed only because its tests failed is already counted through those tests. */
function countSuitesWithFailedTests(r) {
  return (r.testResults ?? []).filter(
    (s) => s.status === 'failed' && (s.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
}

const mode = process.argv[2];
if (mode === 'start') {
  install();
  must(pnpm(['exec', 'turbo', 'run', 'build', '--filter=@keras-ts/app-mnist...']), 'build');
  process.exit(pnpm(['--filter', '@keras-ts/app-mnist', 'run', 'start', ...process.argv.slice(3)]));
} else if (mode === 'test') {
  install();
  for (const group of ['packages', 'apps', 'tooling']) {
    const dir = path.join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir))
      rmSync(path.join(dir, name, '.reports'), { recursive: true, force: true });
  }
  const build = pnpm(['exec', 'turbo', 'run', 'build']);
  const lint = build === 0 ? pnpm(['exec', 'biome', 'check', '.']) : 1;
  const typecheck = build === 0 ? pnpm(['exec', 'turbo', 'run', 'typecheck', '--continue']) : 1;
  const tests =
    build === 0 ? pnpm(['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=1']) : 1;
  const extra =
    build === 0 ? pnpm(['exec', 'turbo', 'run', 'smoke', '--continue', '--concurrency=1']) : 1;
  const { passed, failed, skipped } = summarize();
  const steps = { build, lint, typecheck, tests, smoke: extra };
  const bad = Object.entries(steps)
    .filter(([, s]) => s !== 0)
    .map(([k]) => k);
  const stepFailures = bad.filter((k) => k !== 'tests').length;
  if (bad.length) console.error(`\nfailed steps: ${bad.join(', ')}`);
  console.log(
    `\n${passed} passed, ${failed + stepFailures} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
  process.exit(bad.length ? 1 : 0);
} else {
  console.error('usage: node tooling/scripts/run.mjs start|test');
  process.exit(2);
}
