import { describe, expect, it } from 'vitest';
import { ConfigProto, GPUOptions, kerasDefaultConfig } from './config-proto.js';

describe('ConfigProto', () => {
  it("has TF's defaults", () => {
    const config = new ConfigProto();
    expect(config.toJSON()).toEqual({
      gpuOptions: {
        allowGrowth: false,
        perProcessGpuMemoryFraction: undefined,
        visibleDeviceList: '',
        allocatorType: 'BFC',
      },
      logDevicePlacement: false,
      allowSoftPlacement: false,
      intraOpParallelismThreads: 0,
      interOpParallelismThreads: 0,
      memoryLimitBytes: undefined,
    });
  });

  it('takes the Keras 2 assignment style and an options object alike', () => {
    const a = new ConfigProto();
    a.gpuOptions.allowGrowth = true;
    a.gpuOptions.perProcessGpuMemoryFraction = 0.5;
    a.gpuOptions.visibleDeviceList = '0,1';
    a.logDevicePlacement = true;
    a.allowSoftPlacement = true;
    a.intraOpParallelismThreads = 2;
    const b = new ConfigProto({
      gpuOptions: { allowGrowth: true, perProcessGpuMemoryFraction: 0.5, visibleDeviceList: '0,1' },
      logDevicePlacement: true,
      allowSoftPlacement: true,
      intraOpParallelismThreads: 2,
    });
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.gpuOptions.visibleDeviceIndices()).toEqual([0, 1]);
  });

  it('rejects a memory fraction outside (0, 1], echoing it', () => {
    const gpu = new GPUOptions();
    expect(() => {
      gpu.perProcessGpuMemoryFraction = 0;
    }).toThrow('Received: perProcessGpuMemoryFraction=0');
    expect(() => {
      gpu.perProcessGpuMemoryFraction = 1.5;
    }).toThrow('in (0, 1]. Received: perProcessGpuMemoryFraction=1.5');
    expect(() => new GPUOptions({ perProcessGpuMemoryFraction: -0.1 })).toThrow(
      'Received: perProcessGpuMemoryFraction=-0.1',
    );
    expect(() => {
      gpu.perProcessGpuMemoryFraction = Number.NaN;
    }).toThrow('Received: perProcessGpuMemoryFraction=NaN');
    gpu.perProcessGpuMemoryFraction = 1;
    expect(gpu.perProcessGpuMemoryFraction).toBe(1);
  });

  it('rejects non-integer and negative thread counts, echoing them', () => {
    const config = new ConfigProto();
    expect(() => {
      config.intraOpParallelismThreads = 1.5;
    }).toThrow('Received: intraOpParallelismThreads=1.5');
    expect(() => new ConfigProto({ interOpParallelismThreads: -2 })).toThrow(
      'Received: interOpParallelismThreads=-2',
    );
  });

  it('rejects malformed visible device lists and non-boolean flags', () => {
    const gpu = new GPUOptions();
    expect(() => {
      gpu.visibleDeviceList = 'gpu0';
    }).toThrow('Received: visibleDeviceList="gpu0"');
    expect(() => {
      gpu.visibleDeviceList = '0,,1';
    }).toThrow('Received: visibleDeviceList="0,,1"');
    const config = new ConfigProto();
    expect(() => {
      (config as { logDevicePlacement: unknown }).logDevicePlacement = 'yes';
    }).toThrow('Received: logDevicePlacement=yes');
    expect(() => new ConfigProto({ memoryLimitBytes: 0 })).toThrow('Received: memoryLimitBytes=0');
    expect(() => new GPUOptions({ allocatorType: 'fast' as never })).toThrow(
      'Received: allocatorType=fast',
    );
  });
});

describe('kerasDefaultConfig', () => {
  it("matches Keras 2.2.4's default session: soft placement, threads from OMP_NUM_THREADS", () => {
    const plain = kerasDefaultConfig({});
    expect(plain.allowSoftPlacement).toBe(true);
    expect(plain.intraOpParallelismThreads).toBe(0);
    expect(kerasDefaultConfig({ OMP_NUM_THREADS: '3' }).intraOpParallelismThreads).toBe(3);
    expect(kerasDefaultConfig({ OMP_NUM_THREADS: 'lots' }).intraOpParallelismThreads).toBe(0);
  });
});
