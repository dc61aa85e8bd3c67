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
export { ensureBackend } from './runtime/ensure-backend.js';
