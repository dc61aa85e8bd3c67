export {
  AllReduce,
  type AllReduceBuffers,
  AllReduceHost,
  createAllReduceBuffers,
  ReplicaAbortedError,
} from './allreduce.js';
export {
  listDevices,
  parseDevice,
  type ReplicaDevice,
  type ResolveOptions,
  resolveDevices,
} from './devices.js';
export { type MultiGpuModelOptions, multiGpuModel } from './multi-gpu-model.js';
export { type Data, type ParallelFitOptions, ParallelModel } from './parallel-model.js';
export { type ReplicaBackend, replicaEnv } from './process-env.js';
export { ProcessPool } from './process-pool.js';
export { ReplicaError, ReplicaPool } from './replica-pool.js';
export { sliceBounds } from './split.js';
export { type CompileExtras, type ReplicaTransport, ThreadTransport } from './transport.js';
