// Plain JS: vitest loads its config through Node, which cannot import TypeScript from a linked
// workspace package. Types are in index.d.ts beside this file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Workspace packages resolve to their TypeScript sources in tests, so a package's tests never run
 * against a stale `dist/` of another package.
 */
export const workspaceAliases = [
  {
    find: /^@keras-ts\/(backend|layers|engine|data|multi-gpu|saving)$/,
    replacement: path.join(repoRoot, 'packages/$1/src/index.ts'),
  },
  {
    find: /^@keras-ts\/(backend|layers|engine|data|multi-gpu|saving)\/([a-z-]+)$/,
    replacement: path.join(repoRoot, 'packages/$1/src/$2/index.ts'),
  },
  { find: /^keras-ts$/, replacement: path.join(repoRoot, 'packages/keras-ts/src/index.ts') },
];

/** The vitest configuration every keras-ts package uses. */
export function keraTsVitestConfig({ dir, testTimeout = 60_000, include, extra = {} }) {
  const name = path.basename(dir);
  return defineConfig({
    resolve: { alias: workspaceAliases },
    test: {
      name,
      root: dir,
      include: include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: ['dist/**', 'node_modules/**'],
      setupFiles: [path.join(repoRoot, 'tooling/vitest-preset/src/setup.ts')],
      testTimeout,
      hookTimeout: testTimeout,
      pool: 'forks',
      passWithNoTests: false,
      reporters: ['default', 'json'],
      outputFile: { json: path.join(dir, '.reports/vitest.json') },
      ...extra,
    },
  });
}
