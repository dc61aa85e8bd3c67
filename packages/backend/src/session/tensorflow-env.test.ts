import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { ConfigProto } from './config-proto.js';
import { Session } from './session.js';
import { applyEnvironment, tensorflowEnvironment } from './tensorflow-env.js';

beforeAll(() => ensureBackend());

describe('tensorflowEnvironment', () => {
  it('maps every GPU and thread option onto the variables libtensorflow reads', () => {
    const config = new ConfigProto({
      gpuOptions: {
        allowGrowth: true,
        visibleDeviceList: '0,1',
        allocatorType: 'cuda_malloc_async',
        perProcessGpuMemoryFraction: 0.5,
      },
      logDevicePlacement: true,
      intraOpParallelismThreads: 4,
      interOpParallelismThreads: 2,
    });
    const { vars, unmapped } = tensorflowEnvironment(config);
    expect(vars).toEqual({
      TF_FORCE_GPU_ALLOW_GROWTH: 'true',
      CUDA_VISIBLE_DEVICES: '0,1',
      TF_NUM_INTRAOP_THREADS: '4',
      TF_NUM_INTEROP_THREADS: '2',
      TF_GPU_ALLOCATOR: 'cuda_malloc_async',
      TF_CPP_MIN_LOG_LEVEL: '0',
    });
    expect(unmapped).toEqual(['perProcessGpuMemoryFraction']);
  });

  it('leaves unset options to TF, except allow-growth which it always states', () => {
    expect(tensorflowEnvironment(new ConfigProto()).vars).toEqual({
      TF_FORCE_GPU_ALLOW_GROWTH: 'false',
    });
  });

  it('reports which variables changed', () => {
    const env: Record<string, string | undefined> = { CUDA_VISIBLE_DEVICES: '0' };
    expect(
      applyEnvironment({ CUDA_VISIBLE_DEVICES: '0', TF_NUM_INTRAOP_THREADS: '2' }, env),
    ).toEqual(['TF_NUM_INTRAOP_THREADS']);
    expect(env.TF_NUM_INTRAOP_THREADS).toBe('2');
  });
});

describe("Session({ backend: 'tensorflow' }) without the native addon", () => {
  it('sets the environment before importing the addon, and stands in a registered backend', async () => {
    const seen: { specifier: string; env: Record<string, string | undefined> }[] = [];
    const env: Record<string, string | undefined> = { TF_FORCE_GPU_ALLOW_GROWTH: 'false' };
    const importModule = async (specifier: string) => {
      seen.push({ specifier, env: { ...env } });
      if (specifier !== '@tensorflow/tfjs-node-gpu') throw new Error(`unexpected ${specifier}`);
      // What the real addon does on import: register a backend named 'tensorflow'.
      tf.registerBackend('tensorflow', () => new MathBackendCPU());
      return {};
    };
    const config = new ConfigProto({
      gpuOptions: { allowGrowth: true, visibleDeviceList: '1,2' },
      intraOpParallelismThreads: 3,
    });
    const warnings: string[] = [];
    const session = new Session({
      config,
      backend: 'tensorflow',
      importModule,
      env,
      warn: (m) => warnings.push(m),
    });
    await session.open();
    expect(seen.map((s) => s.specifier)).toEqual(['@tensorflow/tfjs-node-gpu']);
    expect(seen[0]?.env).toMatchObject({
      TF_FORCE_GPU_ALLOW_GROWTH: 'true',
      CUDA_VISIBLE_DEVICES: '1,2',
      TF_NUM_INTRAOP_THREADS: '3',
    });
    expect(session.backend).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    // CUDA renumbers the visible GPUs from 0.
    expect(session.devices.map((d) => d.name)).toEqual([
      '/device:CPU:0',
      '/device:GPU:0',
      '/device:GPU:1',
    ]);
    expect(warnings).toEqual([]);
    session.close();

    // A second session with other options cannot re-configure the loaded addon: it says so.
    const again = new Session({
      config: new ConfigProto({ interOpParallelismThreads: 5 }),
      backend: 'tensorflow',
      importModule,
      env,
      warn: (m) => warnings.push(m),
    });
    await again.open();
    expect(seen).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('TF_NUM_INTEROP_THREADS');
    expect(warnings[0]).toContain('take effect in a new process');
    again.close();
  });

  it('logs placement on the last visible GPU, where tfjs-node-gpu runs every op', async () => {
    // The stand-in backend above is a CPU backend under the name 'tensorflow': lend it Add.
    const add = tf.getKernel('Add', 'cpu');
    if (add === undefined) throw new Error('cpu Add kernel missing');
    tf.registerKernel({ ...add, backendName: 'tensorflow' });
    const lines: string[] = [];
    const session = new Session({
      config: new ConfigProto({
        logDevicePlacement: true,
        gpuOptions: { visibleDeviceList: '1,2' },
      }),
      backend: 'tensorflow',
      importModule: async () => ({}),
      env: {},
      logger: (l) => lines.push(l),
      warn: () => {},
    });
    await session.open();
    expect(tf.add(tf.scalar(1), tf.scalar(2))).toBeAllclose(3);
    expect(lines).toEqual(['Add: /job:localhost/replica:0/task:0/device:GPU:1']);
    session.close();
  });

  it('cannot size a fraction of GPU memory there: warns and enforces memoryLimitBytes', async () => {
    const warnings: string[] = [];
    const session = new Session({
      config: new ConfigProto({
        memoryLimitBytes: 4096,
        gpuOptions: { perProcessGpuMemoryFraction: 0.5 },
      }),
      backend: 'tensorflow',
      importModule: async () => ({}),
      env: {},
      warn: (m) => warnings.push(m),
    });
    await session.open();
    // (The other warning: the environment changed after the stand-in addon loaded.)
    expect(warnings).toContain(
      "perProcessGpuMemoryFraction=0.5 cannot be honoured by the 'tensorflow' backend: it does not report its device's memory size. Set config.memoryLimitBytes to a byte budget instead (memoryLimitBytes=4096 is enforced).",
    );
    expect(session.memoryBudgetBytes).toBe(4096);
    expect(() => tf.zeros([2048])).toThrow(
      'the memory budget is 4096 bytes (memoryLimitBytes=4096)',
    );
    session.close();
  });
});
