import { describe, expect, it } from 'vitest';
import { computeDevice, fullDeviceName, listDevicesFor } from './devices.js';

describe('device names', () => {
  it("spell TF's placement device names", () => {
    expect(fullDeviceName('CPU', 0)).toBe('/job:localhost/replica:0/task:0/device:CPU:0');
    expect(fullDeviceName('GPU', 1)).toBe('/job:localhost/replica:0/task:0/device:GPU:1');
  });

  it('a CPU backend is one CPU device', () => {
    const layout = { backend: 'wasm', gpu: false, gpuCount: 0 };
    expect(listDevicesFor(layout)).toEqual([
      { name: '/device:CPU:0', type: 'CPU', backend: 'wasm' },
    ]);
    expect(computeDevice(layout)).toEqual({ type: 'CPU', index: 0 });
  });

  it('a GPU backend lists the host CPU and its GPUs, and computes on the last GPU', () => {
    const layout = { backend: 'webgpu', gpu: true, gpuCount: 1 };
    expect(listDevicesFor(layout)).toEqual([
      { name: '/device:CPU:0', type: 'CPU', backend: 'cpu' },
      { name: '/device:GPU:0', type: 'GPU', backend: 'webgpu' },
    ]);
    expect(computeDevice({ backend: 'tensorflow', gpu: true, gpuCount: 3 })).toEqual({
      type: 'GPU',
      index: 2,
    });
  });
});
