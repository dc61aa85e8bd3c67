#!/usr/bin/env node
// Consumer test: what a user who runs `npm install keras-ts` gets. Packs every publishable
// package (pnpm pack rewrites workspace:^ to real versions), installs the tarballs with npm into
// an empty folder outside the workspace, and runs two programs there: one importing the
// @keras-ts/* packages one by one, one through the keras-ts umbrella.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const packages = ['backend', 'layers', 'engine', 'data', 'saving', 'multi-gpu', 'keras-ts'];

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  if (r.status !== 0) {
    console.error(
      `consumer test: \`${cmd} ${args.join(' ')}\` failed in ${cwd} (exit ${r.status})`,
    );
    process.exit(1);
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'keras-ts-consumer-'));
try {
  const tarballs = path.join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const p of packages) {
    run(
      'npx',
      ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', tarballs],
      path.join(root, 'packages', p),
    );
  }
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
  );
  const files = readdirSync(tarballs).map((f) => path.join(tarballs, f));
  run('npm', ['install', '--no-audit', '--no-fund', '@tensorflow/tfjs-core@4.22.0', ...files], app);
  for (const program of ['individual.mjs', 'umbrella.mjs']) {
    cpSync(path.join(here, 'programs', program), path.join(app, program));
    console.log(`\nconsumer test: node ${program}`);
    run('node', [program], app);
  }
  console.log('\nconsumer test: passed (both programs ran from the packed tarballs)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
