import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { ConfigProto } from '../session/config-proto.js';
import { clearSession, setSession } from '../session/current.js';
import { Session } from '../session/session.js';

beforeAll(() => ensureBackend());
afterEach(async () => {
  vi.restoreAllMocks();
  await clearSession();
});

const CPU0 = '/job:localhost/replica:0/task:0/device:CPU:0';

describe('logDevicePlacement', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`logs every kernel with its op and device on '${backend}'`, async () => {
      const lines: string[] = [];
      const config = new ConfigProto({ logDevicePlacement: true });
      await setSession(new Session({ config, backend, logger: (l) => lines.push(l) }));
      const a = tf.tensor2d([[1, 2]]);
      const b = tf.tensor2d([[3], [4]]);
      const c = tf.add(tf.matMul(a, b), 1);
      expect(c).toBeAllclose([[12]]);
      expect(lines).toEqual([`BatchMatMul: ${CPU0}`, `Add: ${CPU0}`]);
    });
  }

  it('writes to stderr through console.error by default, so redirected consoles get it', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    await setSession(new Session({ config: { logDevicePlacement: true }, backend: 'wasm' }));
    tf.relu(tf.tensor1d([-1, 1]));
    expect(spy).toHaveBeenCalledWith(`Relu: ${CPU0}`);
  });

  it('off means the kernel registry is untouched: the very same kernel functions run', async () => {
    const kernels = () =>
      new Map(tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k.kernelFunc]));
    const before = kernels();
    await setSession(new Session({ config: { logDevicePlacement: true }, backend: 'wasm' }));
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).not.toBe(before.get('BatchMatMul'));
    await setSession(new Session({ config: { logDevicePlacement: false }, backend: 'wasm' }));
    const after = kernels();
    expect(after.size).toBe(before.size);
    for (const [name, fn] of after) expect(fn, name).toBe(before.get(name));
  });

  it('stops logging when the session is replaced', async () => {
    const lines: string[] = [];
    await setSession(
      new Session({
        config: { logDevicePlacement: true },
        backend: 'cpu',
        logger: (l) => lines.push(l),
      }),
    );
    tf.neg(tf.scalar(1));
    await setSession(new Session({ backend: 'cpu' }));
    tf.neg(tf.scalar(1));
    expect(lines).toEqual([`Neg: ${CPU0}`]);
  });
});
