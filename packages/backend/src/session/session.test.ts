import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { ConfigProto } from './config-proto.js';
import { backendName, clearSession, getSession, listDevices, setSession } from './current.js';
import { Session } from './session.js';

beforeAll(() => ensureBackend());
afterEach(async () => {
  await clearSession();
});

function collect(): { lines: string[]; warn: (m: string) => void } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m) };
}

describe('Session on the built-in backends', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`opens '${backend}' and computes there`, async () => {
      const { lines, warn } = collect();
      await setSession(new Session({ backend, warn }));
      expect(backendName()).toBe(backend);
      expect(tf.getBackend()).toBe(backend);
      expect(getSession().backend).toBe(backend);
      expect(listDevices()).toEqual([{ name: '/device:CPU:0', type: 'CPU', backend }]);
      expect(tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]))).toBeAllclose([[11]]);
      expect(lines).toEqual([]);
    });
  }

  it('rejects an unknown backend, echoing it', () => {
    expect(() => new Session({ backend: 'cuda' as never })).toThrow(
      `Expected one of 'auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'. Received: backend="cuda"`,
    );
  });

  it("'auto' picks the best installed backend quietly (wasm here)", async () => {
    const { lines, warn } = collect();
    await setSession(new Session({ backend: 'auto', warn }));
    expect(backendName()).toBe('wasm');
    expect(lines).toEqual([]);
  });

  it('the default session is Keras 2.2.4-like and gives the default backend', async () => {
    const session = getSession();
    expect(session.config.allowSoftPlacement).toBe(true);
    expect(session.backendRequest).toBe('auto');
    expect(backendName()).toBe('wasm');
  });
});

describe('soft placement', () => {
  it("falls back from a missing 'tensorflow' with one line: asked, used, what to install", async () => {
    const { lines, warn } = collect();
    const config = new ConfigProto({ allowSoftPlacement: true });
    await setSession(new Session({ config, backend: 'tensorflow', warn }));
    expect(backendName()).toBe('wasm');
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(line).toContain("asked for backend 'tensorflow'");
    expect(line).toContain('@tensorflow/tfjs-node-gpu');
    expect(line).toContain("using 'wasm'");
    expect(line).toContain('install @tensorflow/tfjs-node-gpu');
    expect(line).not.toContain('\n');
  });

  it('without soft placement a missing backend is an error saying the same, and nothing changes', async () => {
    await setSession(new Session({ backend: 'cpu' }));
    const before = getSession();
    const config = new ConfigProto({ allowSoftPlacement: false });
    const attempt = setSession(new Session({ config, backend: 'webgpu' }));
    await expect(attempt).rejects.toThrow(
      "Session asked for backend 'webgpu' but backend 'webgpu' is not available",
    );
    await expect(attempt).rejects.toThrow("install the 'webgpu' package");
    await expect(attempt).rejects.toThrow('allowSoftPlacement = true');
    expect(getSession()).toBe(before);
    expect(backendName()).toBe('cpu');
  });

  it('a GPU in visibleDeviceList on a CPU backend: one line with soft placement, an error without', async () => {
    const { lines, warn } = collect();
    const soft = new ConfigProto({
      allowSoftPlacement: true,
      gpuOptions: { visibleDeviceList: '0' },
    });
    await setSession(new Session({ config: soft, backend: 'wasm', warn }));
    expect(backendName()).toBe('wasm');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      "device /device:GPU:0 (visibleDeviceList='0') is not available on backend 'wasm'",
    );
    expect(lines[0]).toContain("using 'wasm' (/device:CPU:0)");

    const autoHard = new ConfigProto({ gpuOptions: { visibleDeviceList: '0' } });
    await expect(setSession(new Session({ config: autoHard, backend: 'auto' }))).rejects.toThrow(
      "Session asked for backend 'auto' but device /device:GPU:0 (visibleDeviceList='0') is not available on backend 'wasm'",
    );

    const hard = new ConfigProto({ gpuOptions: { visibleDeviceList: '0,1' } });
    await expect(setSession(new Session({ config: hard, backend: 'cpu' }))).rejects.toThrow(
      "device /device:GPU:0, /device:GPU:1 (visibleDeviceList='0,1') is not available on backend 'cpu'",
    );
  });

  it('warns once per option the backend cannot honour, naming option and backend', async () => {
    const { lines, warn } = collect();
    const config = new ConfigProto({
      intraOpParallelismThreads: 4,
      interOpParallelismThreads: 2,
      gpuOptions: { allocatorType: 'cuda_malloc_async' },
    });
    await setSession(new Session({ config, backend: 'cpu', warn }));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^intraOpParallelismThreads=4 cannot be honoured by the 'cpu' backend/,
    );
    expect(lines[1]).toMatch(
      /^interOpParallelismThreads=2 cannot be honoured by the 'cpu' backend/,
    );
    expect(lines[2]).toMatch(
      /^allocatorType='cuda_malloc_async' cannot be honoured by the 'cpu' backend/,
    );
  });
});

describe('switching sessions with live tensors', () => {
  it('is safe: tensors made on wasm keep their values on cpu and back', async () => {
    await setSession(new Session({ backend: 'wasm' }));
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const w = tf.variable(tf.tensor1d([10, 20]));
    await setSession(new Session({ backend: 'cpu' }));
    expect(backendName()).toBe('cpu');
    // [[1,2],[3,4]] @ [[1],[1]] = [[3],[7]], computed on cpu from wasm-made data.
    expect(tf.matMul(a, tf.ones([2, 1]))).toBeAllclose([[3], [7]]);
    expect(tf.add(w, 1)).toBeAllclose([11, 21]);
    await setSession(new Session({ backend: 'wasm' }));
    expect(tf.sum(a)).toBeAllclose(10);
    w.assign(tf.tensor1d([5, 6]));
    expect(w).toBeAllclose([5, 6]);
  });

  it('clearSession keeps tensors usable and returns to the default session', async () => {
    await setSession(new Session({ backend: 'cpu' }));
    const a = tf.tensor1d([1, 2, 3]);
    await clearSession();
    expect(backendName()).toBe('wasm');
    expect(getSession().backendRequest).toBe('auto');
    expect(tf.mul(a, 2)).toBeAllclose([2, 4, 6]);
  });

  it('concurrent setSession calls apply in call order', async () => {
    const cpu = new Session({ backend: 'cpu' });
    const wasm = new Session({ backend: 'wasm' });
    await Promise.all([setSession(cpu), setSession(wasm)]);
    expect(getSession()).toBe(wasm);
    expect(backendName()).toBe('wasm');
    expect(cpu.isOpen).toBe(false);
  });

  it('setSession refuses things that are not sessions', async () => {
    await expect(setSession({} as never)).rejects.toThrow('setSession expects a Session');
  });
});

describe('a missing tensorflow addon', () => {
  it('leaves the environment as it was', async () => {
    const env: Record<string, string | undefined> = { CUDA_VISIBLE_DEVICES: '3' };
    const importModule = async (specifier: string) => {
      throw new Error(`Cannot find package '${specifier}'`);
    };
    const config = new ConfigProto({
      allowSoftPlacement: true,
      gpuOptions: { allowGrowth: true, visibleDeviceList: '0' },
    });
    const lines: string[] = [];
    const session = new Session({
      config,
      backend: 'tensorflow',
      importModule,
      env,
      warn: (m) => lines.push(m),
    });
    await session.open();
    expect(session.backend).not.toBe('tensorflow');
    expect(env).toEqual({ CUDA_VISIBLE_DEVICES: '3' });
    expect(lines[0]).toContain("Cannot find package '@tensorflow/tfjs-node-gpu'");
    session.close();
  });
});
