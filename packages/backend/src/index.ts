export { type DeviceSpec, fullDeviceName } from './devices/devices.js';
export { registerGradients } from './gradients/register.js';
export {
  epsilon,
  type FloatX,
  floatx,
  type ImageDataFormat,
  imageDataFormat,
  setEpsilon,
  setFloatx,
  setImageDataFormat,
} from './keras-config.js';
export { registerWasmTrainingKernels } from './kernels/register.js';
export { hostRead, withValuesReadAhead } from './memory/host-read.js';
export { ResourceExhaustedError } from './memory/memory-budget.js';
export { readInto, readIntoAsync } from './memory/read-into.js';
export { defaultPlacementLogger, type PlacementLogger } from './placement/placement-log.js';
export { getRandomSeed, nextRandomSeed, setRandomSeed } from './random/seed.js';
export { seededRandom } from './random/seeded-random.js';
export { ensureBackend } from './runtime/ensure-backend.js';
export {
  BACKEND_REQUESTS,
  type BackendName,
  type BackendRequest,
  FALLBACK_ORDER,
  type ModuleImporter,
} from './session/backends.js';
export {
  type AllocatorType,
  ConfigProto,
  type ConfigProtoInit,
  GPUOptions,
  type GPUOptionsInit,
  kerasDefaultConfig,
} from './session/config-proto.js';
export {
  backendName,
  clearSession,
  getSession,
  listDevices,
  setSession,
} from './session/current.js';
export { Session, type SessionOptions } from './session/session.js';
export { type TensorflowEnvironment, tensorflowEnvironment } from './session/tensorflow-env.js';
