import type * as H5 from 'h5wasm';

/**
 * h5wasm is loaded once, lazily, in its MEMFS build: files are copied into the wasm module's
 * private in-memory file system, so nothing inside an HDF5 file (external links, external raw data
 * files, virtual dataset sources) can reach the host's files. HDF5 errors are turned into thrown
 * exceptions so a corrupt file never yields half-read garbage.
 */
export type H5Wasm = typeof H5;

let loading: Promise<H5Wasm> | undefined;
let counter = 0;

export function loadH5Wasm(): Promise<H5Wasm> {
  if (loading === undefined) {
    loading = (async () => {
      const mod = await import('h5wasm');
      const module = await mod.ready;
      module.activate_throwing_error_handler();
      return mod;
    })();
  }
  return loading;
}

/** A fresh path inside the wasm file system (never a host path). */
export function scratchPath(label: string): string {
  counter += 1;
  return `/keras-ts-${process.pid}-${counter}-${label.replace(/[^A-Za-z0-9_.-]/g, '_').slice(-40)}`;
}

export function memfs(h5: H5Wasm): NonNullable<H5Wasm['FS']> {
  const fs = h5.FS;
  if (fs === null) throw new Error('h5wasm did not expose its in-memory file system.');
  return fs;
}

/** The first line of an HDF5 error stack is noise; keep the innermost reason. */
export function hdf5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const minors = [...text.matchAll(/minor: (.+)/g)].map((m) => m[1]?.trim() ?? '');
  const lines = [...text.matchAll(/in (\w+)\(\): (.+)/g)].map((m) => `${m[1]}: ${m[2]}`);
  const last = lines[lines.length - 1];
  if (last !== undefined)
    return `${last}${minors.length > 0 ? ` (${minors[minors.length - 1]})` : ''}`;
  return text.slice(0, 200);
}
