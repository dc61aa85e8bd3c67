import { describe, expect, it } from 'vitest';
import { replicaEnv } from './process-env.js';

describe('replicaEnv (what a replica process starts with)', () => {
  it('shows a GPU replica only its own GPU', () => {
    expect(replicaEnv({ name: '/gpu:1', type: 'GPU', index: 1 }, 1, 'tensorflow')).toEqual({
      CUDA_VISIBLE_DEVICES: '1',
      KERAS_TS_REPLICA_DEVICE: '/gpu:1',
      KERAS_TS_REPLICA_RANK: '1',
    });
    // The index, not the rank: gpus [3, 0] puts rank 0 on GPU 3.
    expect(replicaEnv({ name: '/gpu:3', type: 'GPU', index: 3 }, 0, 'webgpu')).toMatchObject({
      CUDA_VISIBLE_DEVICES: '3',
      KERAS_TS_REPLICA_RANK: '0',
    });
  });

  it('hides every GPU from a CPU replica on tensorflow, and leaves it alone on wasm', () => {
    expect(replicaEnv({ name: '/cpu:0', type: 'CPU', index: 0 }, 0, 'tensorflow')).toEqual({
      CUDA_VISIBLE_DEVICES: '-1',
      KERAS_TS_REPLICA_DEVICE: '/cpu:0',
      KERAS_TS_REPLICA_RANK: '0',
    });
    expect(replicaEnv({ name: '/cpu:1', type: 'CPU', index: 1 }, 1, 'wasm')).toEqual({
      KERAS_TS_REPLICA_DEVICE: '/cpu:1',
      KERAS_TS_REPLICA_RANK: '1',
    });
  });
});
