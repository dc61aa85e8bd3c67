import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { defaultImporter } from './backends.js';
import { ConfigProto } from './config-proto.js';
import { Session } from './session.js';

beforeAll(() => ensureBackend());
afterEach(() => {
  // Each test brings its own stand-in GPU.
  delete (globalThis as { navigator?: unknown }).navigator;
});

/** A stand-in for the optional 'webgpu' package (Dawn): a GPU whose adapter we choose. */
function fakeDawn(adapter: unknown) {
  const calls: string[] = [];
  const importModule = async (specifier: string) => {
    calls.push(specifier);
    if (specifier === 'webgpu') {
      return { create: () => ({ requestAdapter: async () => adapter }), globals: {} };
    }
    return defaultImporter(specifier);
  };
  return { calls, importModule };
}

describe("Session({ backend: 'webgpu' }) in Node", () => {
  it('loads the webgpu package first and falls back when it finds no GPU adapter', async () => {
    const { calls, importModule } = fakeDawn(null);
    const lines: string[] = [];
    const config = new ConfigProto({ allowSoftPlacement: true });
    const session = new Session({
      config,
      backend: 'webgpu',
      importModule,
      warn: (m) => lines.push(m),
    });
    await session.open();
    expect(calls).toEqual(['webgpu']);
    expect(session.backend).toBe('wasm');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      "asked for backend 'webgpu', but backend 'webgpu' is not available (webgpu (Dawn) found no GPU adapter)",
    );
    // A Dawn instance keeps Node alive: the failed probe took its navigator.gpu away again.
    expect((globalThis as { navigator?: unknown }).navigator).toBeUndefined();
    session.close();
  });

  it('registers tfjs-backend-webgpu once navigator.gpu exists; a device that fails to start falls back', async () => {
    const adapter = {
      features: new Set<string>(),
      limits: {},
      requestDevice: async () => {
        throw new Error('no device in this test');
      },
    };
    const { calls, importModule } = fakeDawn(adapter);
    const lines: string[] = [];
    const config = new ConfigProto({ allowSoftPlacement: true });
    const session = new Session({
      config,
      backend: 'webgpu',
      importModule,
      warn: (m) => lines.push(m),
    });
    await session.open();
    // navigator.gpu came from the stand-in: tfjs-backend-webgpu saw it at import and registered.
    expect(calls).toContain('@tensorflow/tfjs-backend-webgpu');
    expect(tf.findBackendFactory('webgpu')).not.toBeNull();
    expect(session.backend).toBe('wasm');
    expect(lines[0]).toContain("backend 'webgpu' failed to initialise");
    expect(tf.matMul(tf.ones([1, 2]), tf.ones([2, 1]))).toBeAllclose([[2]]);
    expect((globalThis as { navigator?: unknown }).navigator).toBeUndefined();
    session.close();
  });
});
