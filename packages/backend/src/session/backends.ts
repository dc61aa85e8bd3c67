/**
 * Which backends exist, how each is loaded on demand, and the documented soft-placement order.
 * Native and GPU backends are optional peers: they are imported only when asked for, through an
 * importer a test can replace.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConfigProto } from './config-proto.js';
import { applyEnvironment, tensorflowEnvironment } from './tensorflow-env.js';

export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;

export const BACKEND_REQUESTS: readonly BackendRequest[] = [
  'auto',
  'tensorflow',
  'webgpu',
  'wasm',
  'cpu',
];

/**
 * Soft placement walks this list from the requested backend onwards: fastest first, and `cpu`
 * (pure JS) last because it always works. `auto` is the whole list, without fallback messages.
 */
export const FALLBACK_ORDER: Readonly<Record<BackendRequest, readonly BackendName[]>> = {
  auto: ['tensorflow', 'webgpu', 'wasm', 'cpu'],
  tensorflow: ['tensorflow', 'webgpu', 'wasm', 'cpu'],
  webgpu: ['webgpu', 'wasm', 'cpu'],
  wasm: ['wasm', 'cpu'],
  cpu: ['cpu'],
};

/** What a user installs to get each backend. */
export const INSTALL_HINT: Readonly<Record<BackendName, string>> = {
  tensorflow:
    'install @tensorflow/tfjs-node-gpu (CUDA GPUs) or @tensorflow/tfjs-node (CPU), version 4.22',
  webgpu:
    "install the 'webgpu' package (Node) or use a browser with navigator.gpu, on a machine with a GPU adapter",
  wasm: '@tensorflow/tfjs-backend-wasm ships with @keras-ts/backend: reinstall it',
  cpu: '@tensorflow/tfjs-backend-cpu ships with @keras-ts/backend: reinstall it',
};

export function checkBackendRequest(value: unknown): BackendRequest {
  if (typeof value !== 'string' || !(BACKEND_REQUESTS as readonly string[]).includes(value)) {
    throw new Error(
      `Unknown backend. Expected one of ${BACKEND_REQUESTS.map((b) => `'${b}'`).join(', ')}. Received: backend=${JSON.stringify(value)}`,
    );
  }
  return value as BackendRequest;
}

export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Plain dynamic import: bundlers and tsc leave the optional peers unresolved until asked for. */
export const defaultImporter: ModuleImporter = (specifier) => import(specifier);

export interface LoadContext {
  config: ConfigProto;
  importModule: ModuleImporter;
  env: Record<string, string | undefined>;
  warn: (message: string) => void;
}

export type LoadResult =
  | { ok: true; gpu: boolean; source: string; release?: () => void }
  | { ok: false; reason: string };

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

/** Which tensorflow package registered the backend in this process, once one has. */
let tensorflowSource: string | null = null;

async function loadTensorflow(ctx: LoadContext): Promise<LoadResult> {
  const { vars } = tensorflowEnvironment(ctx.config);
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, ctx.env[k]]));
  const changed = applyEnvironment(vars, ctx.env);
  if (tensorflowSource !== null && tf.findBackendFactory('tensorflow') !== null) {
    if (changed.length > 0) {
      ctx.warn(
        `The tensorflow backend: ${changed.join(', ')} changed after ${tensorflowSource} had loaded; libtensorflow reads them only at load time, so they take effect in a new process.`,
      );
    }
    return { ok: true, gpu: tensorflowSource.endsWith('-gpu'), source: tensorflowSource };
  }
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await ctx.importModule(pkg);
    } catch (e) {
      reasons.push(`${pkg}: ${errorText(e)}`);
      continue;
    }
    if (tf.findBackendFactory('tensorflow') === null) {
      reasons.push(
        `${pkg} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs-core (two copies of tfjs-core installed?)`,
      );
      continue;
    }
    tensorflowSource = pkg;
    return { ok: true, gpu: pkg.endsWith('-gpu'), source: pkg };
  }
  // Nothing loaded: leave the environment as it was, so child processes see the user's own values.
  for (const [name, value] of Object.entries(before)) {
    if (value === undefined) delete ctx.env[name];
    else ctx.env[name] = value;
  }
  return { ok: false, reason: reasons.join('; ') };
}

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

function navigatorGpu(): GpuLike | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu;
}

/**
 * Puts Dawn's GPU at navigator.gpu (tfjs-backend-webgpu registers itself at import only when that
 * exists). Returns how to take it away again: a live Dawn instance keeps Node from exiting, so
 * a failed probe must not leave one behind.
 */
function installNavigatorGpu(gpu: GpuLike): () => void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
    return () => {
      delete g.navigator;
    };
  }
  const nav = g.navigator;
  Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  return () => {
    delete (nav as { gpu?: unknown }).gpu;
  };
}

async function loadWebgpu(ctx: LoadContext): Promise<LoadResult> {
  let source = 'navigator.gpu';
  let uninstall: () => void = () => {};
  if (navigatorGpu() === undefined) {
    const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
    if (!isNode) return { ok: false, reason: 'navigator.gpu is missing (no WebGPU here)' };
    let mod: { create?: (flags: string[]) => GpuLike; globals?: object };
    try {
      mod = (await ctx.importModule('webgpu')) as typeof mod;
    } catch (e) {
      return { ok: false, reason: `webgpu: ${errorText(e)}` };
    }
    if (typeof mod.create !== 'function') {
      return { ok: false, reason: "the 'webgpu' package exports no create()" };
    }
    Object.assign(globalThis, mod.globals ?? {});
    uninstall = installNavigatorGpu(mod.create([]));
    source = 'webgpu (Dawn)';
  }
  const fail = (reason: string): LoadResult => {
    uninstall();
    return { ok: false, reason };
  };
  const gpu = navigatorGpu();
  const adapter = gpu === undefined ? null : await gpu.requestAdapter().catch(() => null);
  if (adapter === null || adapter === undefined) return fail(`${source} found no GPU adapter`);
  try {
    await ctx.importModule('@tensorflow/tfjs-backend-webgpu');
  } catch (e) {
    return fail(`@tensorflow/tfjs-backend-webgpu: ${errorText(e)}`);
  }
  if (tf.findBackendFactory('webgpu') === null) {
    return fail('@tensorflow/tfjs-backend-webgpu registered no backend');
  }
  // Kept for the session to call if activation still fails (no device, lost adapter).
  return { ok: true, gpu: true, source, release: uninstall };
}

/** Makes `name` registered with tfjs (without activating it), or says why it cannot be. */
export async function loadBackend(name: BackendName, ctx: LoadContext): Promise<LoadResult> {
  switch (name) {
    case 'tensorflow':
      return loadTensorflow(ctx);
    case 'webgpu':
      return loadWebgpu(ctx);
    default:
      // wasm and cpu are regular dependencies, registered by the runtime module's imports.
      return tf.findBackendFactory(name) !== null
        ? { ok: true, gpu: false, source: `@tensorflow/tfjs-backend-${name}` }
        : { ok: false, reason: `no '${name}' backend is registered` };
  }
}
