import type { ViteUserConfig } from 'vitest/config';

export declare const repoRoot: string;
export declare const workspaceAliases: { find: RegExp; replacement: string }[];

export interface PresetOptions {
  /** Absolute directory of the package (pass `import.meta.dirname`). */
  dir: string;
  /** Per-test timeout in milliseconds (default 60 000). */
  testTimeout?: number;
  /** Test file globs (default `src/**\/*.test.ts`, `test/**\/*.test.ts`). */
  include?: string[];
  /** Extra `test` options merged last. */
  extra?: Record<string, unknown>;
}

/** The vitest configuration every keras-ts package uses. */
export declare function keraTsVitestConfig(options: PresetOptions): ViteUserConfig;
