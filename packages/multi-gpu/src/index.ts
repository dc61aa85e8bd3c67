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
export {
  type Data,
  type MultiGpuModelOptions,
  multiGpuModel,
  type ParallelFitOptions,
  ParallelModel,
} from './parallel-model.js';
export { ReplicaError, ReplicaPool } from './replica-pool.js';
export { sliceBounds } from './split.js';
