import { describe, expect, it } from 'vitest';
import { parseDevice, type ReplicaDevice, resolveDevices } from './devices.js';
import { sliceBounds } from './split.js';

const cpuOnly: ReplicaDevice[] = [
  { name: '/cpu:0', type: 'CPU', index: 0 },
  { name: '/cpu:1', type: 'CPU', index: 1 },
];
const twoGpus: ReplicaDevice[] = [
  ...cpuOnly,
  { name: '/gpu:0', type: 'GPU', index: 0 },
  { name: '/gpu:1', type: 'GPU', index: 1 },
];

describe('device resolution (Keras 2 multi_gpu_model checks)', () => {
  it('parses the spellings TF accepts', () => {
    expect(parseDevice('/cpu:1').name).toBe('/cpu:1');
    expect(parseDevice('/device:GPU:1')).toEqual({ name: '/gpu:1', type: 'GPU', index: 1 });
    expect(parseDevice('/job:localhost/replica:0/task:0/device:CPU:0').name).toBe('/cpu:0');
    expect(() => parseDevice('/tpu:0')).toThrow("Unknown device name: '/tpu:0'");
  });

  it('names the devices expected when there are too few GPUs', () => {
    expect(() => resolveDevices({ gpus: 2 }, cpuOnly)).toThrow(
      'we expect the following devices to be available: ["/cpu:0","/gpu:0","/gpu:1"]. However this machine only has: ["/cpu:0","/cpu:1"]. Try reducing `gpus`.',
    );
    expect(resolveDevices({ gpus: 2 }, twoGpus).map((d) => d.name)).toEqual(['/gpu:0', '/gpu:1']);
    expect(resolveDevices({ gpus: [1, 0] }, twoGpus).map((d) => d.name)).toEqual([
      '/gpu:1',
      '/gpu:0',
    ]);
  });

  it('rejects gpus < 2, unknown and duplicate devices', () => {
    expect(() => resolveDevices({ gpus: 1 }, twoGpus)).toThrow(
      'with `gpus >= 2`. Received: `gpus=1`',
    );
    expect(() => resolveDevices({ devices: ['/cpu:0', '/cpu:7'] }, cpuOnly)).toThrow(
      'However this machine only has',
    );
    expect(() => resolveDevices({ devices: ['/cpu:0', '/cpu:0'] }, cpuOnly)).toThrow(
      'listed twice',
    );
    expect(() => resolveDevices({}, cpuOnly)).toThrow('Pass exactly one of');
    expect(
      resolveDevices({ devices: ['/cpu:0', '/device:CPU:1'] }, cpuOnly).map((d) => d.name),
    ).toEqual(['/cpu:0', '/cpu:1']);
  });
});

describe('sliceBounds (Keras 2 get_slice)', () => {
  it('gives floor(n / parts) rows per slice and the remainder to the last', () => {
    expect(sliceBounds(10, 3)).toEqual([
      { start: 0, size: 3 },
      { start: 3, size: 3 },
      { start: 6, size: 4 },
    ]);
    expect(sliceBounds(1, 2)).toEqual([
      { start: 0, size: 0 },
      { start: 0, size: 1 },
    ]);
  });
});
