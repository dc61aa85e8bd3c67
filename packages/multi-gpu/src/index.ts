export {
  AllReduce,
  type AllReduceBuffers,
  AllReduceHost,
  createAllReduceBuffers,
  ReplicaAbortedError,
} from './allreduce.js';
export { listDevices, parseDevice, type ReplicaDevice, resolveDevices } from './devices.js';
export {
  type MultiGpuModelOptions,
  multiGpuModel,
  type ParallelFitOptions,
  ParallelModel,
} from './parallel-model.js';
export { ReplicaError } from './replica-pool.js';
export { sliceBounds } from './split.js';
