export {
  AllReduce,
  type AllReduceBuffers,
  AllReduceHost,
  createAllReduceBuffers,
  ReplicaAbortedError,
} from './allreduce.js';
export { listDevices, parseDevice, type ReplicaDevice, resolveDevices } from './devices.js';
export { sliceBounds } from './split.js';
