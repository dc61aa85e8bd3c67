#!/usr/bin/env node
// Lays out what the GPU check runs as one flat tree, for pack.sh:
//   STAGE/tooling/gpu-check/{package.json,src}, STAGE/tooling/bench/src/<the runners it uses>,
//   STAGE/node_modules/<every package they import, once>.
// pnpm's node_modules is links into one store, and Node resolves each package to one real path;
// packing the workspace's node_modules folders with tar -h would make one copy per link (several
// tfjs-core copies, each its own module). Here every package of the dependency closure is copied
// once, hoisted flat, with only what Node loads: the workspace packages' dist (no tests, maps or
// types), the tfjs packages' Node bundle (their `main`) and .wasm files, and webgpu's linux-x64
// dawn.node. Usage (from the repo root, after `pnpm turbo run build`): node tooling/gpu-check/stage.mjs STAGE
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const stage = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) throw new Error('Usage: node tooling/gpu-check/stage.mjs STAGE_DIR');

const BENCH_FILES = [
  'keras-models.mjs',
  'shapes.mjs',
  'timed-fit.mjs',
  'replicas.mjs',
  'keras-ts.mjs',
  'tfjs-layers.cjs',
  'matmul.mjs',
];
// Never loaded by the check: types and core-js (browser polyfills @tensorflow/tfjs lists; its
// Node bundle does not load them). h5wasm is: features.mjs saves .h5 files.
const SKIP = new Set(['@webgpu/types', 'core-js']);

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The real folder of package `name` as Node would resolve it from `fromDir`, or null. */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return realpathSync(path.dirname(candidate));
    if (dir === path.dirname(dir)) return null;
  }
}

const found = new Map(); // name -> real folder
const missing = [];
function visit(name, fromDir, required) {
  if (SKIP.has(name) || name.startsWith('@types/')) return;
  const dir = resolvePackage(name, fromDir);
  if (dir === null) {
    if (required) missing.push(`${name} (from ${path.relative(root, fromDir)})`);
    return;
  }
  const seen = found.get(name);
  if (seen !== undefined) {
    if (seen !== dir)
      throw new Error(`Two copies of ${name}: ${seen} and ${dir}; the flat tree holds one`);
    return;
  }
  found.set(name, dir);
  const pkg = readJson(path.join(dir, 'package.json'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, true);
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, dir, false);
  for (const dep of Object.keys(pkg.peerDependencies ?? {})) visit(dep, dir, false);
}

const checkDir = path.join(root, 'tooling/gpu-check');
const benchDir = path.join(root, 'tooling/bench');
for (const dep of Object.keys(readJson(path.join(checkDir, 'package.json')).dependencies))
  visit(dep, checkDir, true);
const benchPkg = readJson(path.join(benchDir, 'package.json'));
for (const dep of Object.keys({ ...benchPkg.dependencies, ...benchPkg.devDependencies }))
  visit(dep, benchDir, true);
if (missing.length > 0) throw new Error(`Not installed (run pnpm install): ${missing.join(', ')}`);

const noise = (file) =>
  /\.(map|d\.ts|d\.mts|d\.cts|tsbuildinfo)$/.test(file) || /\.test\./.test(file);

function copyFiltered(src, dest, keep) {
  cpSync(src, dest, {
    recursive: true,
    filter: (from) => {
      const rel = path.relative(src, from);
      if (rel === '') return true;
      if (rel.split(path.sep).includes('node_modules')) return false;
      return statSync(from).isDirectory() || keep(rel);
    },
  });
}

mkdirSync(path.join(stage, 'node_modules'), { recursive: true });
for (const [name, dir] of [...found].sort()) {
  const dest = path.join(stage, 'node_modules', name);
  const pkg = readJson(path.join(dir, 'package.json'));
  const workspace =
    !path.relative(root, dir).startsWith('..') &&
    !dir.includes(`${path.sep}node_modules${path.sep}`);
  if (workspace) {
    if (!existsSync(path.join(dir, 'dist'))) {
      throw new Error(`${name} has no dist/: run \`pnpm turbo run build\` first`);
    }
    copyFiltered(
      dir,
      dest,
      (rel) => rel === 'package.json' || (rel.startsWith(`dist${path.sep}`) && !noise(rel)),
    );
  } else if (name.startsWith('@tensorflow/')) {
    const main = path.normalize(pkg.main ?? 'index.js');
    copyFiltered(
      dir,
      dest,
      (rel) =>
        rel === 'package.json' ||
        rel === 'LICENSE' ||
        rel === main ||
        (rel.startsWith(`dist${path.sep}`) && rel.endsWith('.wasm')),
    );
  } else if (name === 'webgpu') {
    copyFiltered(
      dir,
      dest,
      (rel) =>
        ['package.json', 'index.js', 'LICENSE.md'].includes(rel) ||
        rel.startsWith(`dist${path.sep}linux-x64${path.sep}`),
    );
  } else {
    copyFiltered(dir, dest, (rel) => !noise(rel) && !/\.md$/i.test(rel));
  }
}

// The check's own sources and the bench runners it reuses (only tracked ones, by name).
copyFiltered(
  checkDir,
  path.join(stage, 'tooling/gpu-check'),
  (rel) => rel === 'package.json' || (rel.startsWith(`src${path.sep}`) && rel.endsWith('.mjs')),
);
mkdirSync(path.join(stage, 'tooling/bench/src'), { recursive: true });
cpSync(path.join(benchDir, 'package.json'), path.join(stage, 'tooling/bench/package.json'));
for (const file of BENCH_FILES)
  cpSync(path.join(benchDir, 'src', file), path.join(stage, 'tooling/bench/src', file));

console.log(`staged ${found.size} packages in ${stage}: ${[...found.keys()].sort().join(' ')}`);
