import { totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { ConfigProto } from '../session/config-proto.js';
import { clearSession, getSession, setSession } from '../session/current.js';
import { Session } from '../session/session.js';
import { deviceMemoryBytes, installMemoryBudget, ResourceExhaustedError } from './memory-budget.js';

beforeAll(() => ensureBackend());
// Budgets count every live tensor of the process: each test frees what it made.
beforeEach(() => tf.engine().startScope());
afterEach(async () => {
  tf.engine().endScope();
  await clearSession();
});

const KIB = 1024;

describe('memory budget', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`memoryLimitBytes refuses an allocation past the budget on '${backend}', keeping everything else`, async () => {
      await setSession(new Session({ config: { memoryLimitBytes: 64 * KIB }, backend }));
      const base = tf.memory().numBytes;
      // 8192 float32 = 32 KiB: fits.
      const kept = tf.fill([8192], 1.5);
      const tensorsBefore = tf.memory().numTensors;
      let error: unknown;
      try {
        // Another 32 KiB + whatever else is alive passes 64 KiB once base > 0; 40 KiB always does.
        tf.fill([10240], 2);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ResourceExhaustedError);
      const oom = error as ResourceExhaustedError;
      expect(oom.budgetBytes).toBe(64 * KIB);
      expect(oom.usedBytes).toBe(base + 32 * KIB);
      expect(oom.requestedBytes).toBe(40 * KIB);
      expect(oom.message).toContain(
        'OOM when allocating tensor with shape [10240] and type float32',
      );
      expect(oom.message).toContain(
        `the memory budget is ${64 * KIB} bytes (memoryLimitBytes=${64 * KIB})`,
      );
      expect(oom.message).toContain(`${base + 32 * KIB} bytes are in use`);
      // The engine recorded nothing for the failed op; the old tensor still reads back.
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(tf.sum(kept)).toBeAllclose(8192 * 1.5);
      // Kernel outputs count too: a matMul whose output does not fit fails the same way.
      const a = tf.ones([64, 1]);
      const b = tf.ones([1, 128]);
      expect(() => tf.matMul(a, b)).toThrow(ResourceExhaustedError);
      // Freeing memory makes room again.
      tf.dispose(kept);
      expect(tf.matMul(a, b).shape).toEqual([64, 128]);
    });
  }

  it('perProcessGpuMemoryFraction budgets that share of the backend memory', async () => {
    await setSession(
      new Session({
        config: { gpuOptions: { perProcessGpuMemoryFraction: 0.25 } },
        backend: 'cpu',
      }),
    );
    expect(getSession().memoryBudgetBytes).toBe(Math.floor(totalmem() * 0.25));
    // wasm32's heap stops at 4 GiB - 64 KiB (emscripten's getHeapMax), or RAM if smaller.
    expect(deviceMemoryBytes('wasm')).toBe(Math.min(totalmem(), 2 ** 32 - 2 ** 16));
    await setSession(
      new Session({
        config: { gpuOptions: { perProcessGpuMemoryFraction: 0.5 } },
        backend: 'wasm',
      }),
    );
    expect(getSession().memoryBudgetBytes).toBe(
      Math.floor(Math.min(totalmem(), 2 ** 32 - 2 ** 16) * 0.5),
    );
  });

  it('the smaller of fraction and memoryLimitBytes wins', async () => {
    const config = new ConfigProto({
      memoryLimitBytes: 1000,
      gpuOptions: { perProcessGpuMemoryFraction: 0.5 },
    });
    await setSession(new Session({ config, backend: 'cpu' }));
    expect(getSession().memoryBudgetBytes).toBe(1000);
    expect(() => tf.zeros([1000])).toThrow('(memoryLimitBytes=1000)');
  });

  it('the budget goes with its session', async () => {
    await setSession(new Session({ config: { memoryLimitBytes: 1024 }, backend: 'wasm' }));
    expect(() => tf.zeros([1024])).toThrow(ResourceExhaustedError);
    await setSession(new Session({ backend: 'wasm' }));
    expect(tf.zeros([1024]).shape).toEqual([1024]);
  });

  it('the kernel-output guard (used for tfjs-node) frees refused outputs and keeps inputs', async () => {
    await setSession(new Session({ backend: 'cpu' }));
    const a = tf.ones([64, 1]);
    const b = tf.ones([1, 128]);
    const used = tf.memory().numBytes;
    const uninstall = installMemoryBudget({
      backendName: 'cpu',
      budgetBytes: used + 16 * KIB,
      budgetSource: 'test',
      device: '/device:CPU:0',
      checkWrites: false,
      checkKernelOutputs: true,
    });
    try {
      const dataIds = tf.engine().backend.numDataIds();
      const tensors = tf.memory().numTensors;
      // [64,128] float32 = 32 KiB > 16 KiB left.
      expect(() => tf.matMul(a, b)).toThrow(
        'OOM when allocating tensor with shape [64,128] (output of BatchMatMul) and type float32 (32768 bytes)',
      );
      expect(tf.engine().backend.numDataIds()).toBe(dataIds);
      expect(tf.memory().numTensors).toBe(tensors);
      // [64,32] = 8 KiB fits; values by hand: every entry is a sum of one 1*1 product.
      expect(tf.matMul(a, tf.ones([1, 32]))).toBeAllclose(tf.ones([64, 32]));
    } finally {
      uninstall();
    }
  });
});
