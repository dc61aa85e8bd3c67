import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (this file is apps/keras-interop/{src,dist}/paths.*). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The default model: a Keras 3.15 functional MLP written by Python (shared fixtures). */
export const defaultModel = resolve(repoRoot, '../shared/fixtures/keras3/a_mlp/model.keras');

/**
 * A path the user typed, relative to where they typed it: pnpm runs scripts inside the app
 * folder and keeps the caller's directory in INIT_CWD.
 */
export function fromUser(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
