export { type ArrayBatchesOptions, ArraySequence, arrayBatches } from './arrays.js';
export { type BatchSource, batchesOf, type PrefetchOptions, prefetch } from './generators.js';
export {
  type AffineParams,
  applyAffine,
  type FillMode,
  flip,
  type Mat3,
  transformMatrix,
} from './image/affine.js';
export { type ColorMode, decodeImage, resizeNearest } from './image/decode.js';
export {
  type ClassMode,
  DirectoryIterator,
  type FlowFromDirectoryOptions,
} from './image/directory.js';
export { type FlowOptions, FlowSequence, type FlowState } from './image/flow.js';
export {
  type DataFormat,
  ImageDataGenerator,
  type ImageDataGeneratorOptions,
  type TransformParams,
} from './image/image-data-generator.js';
export { epochSeed, SeededRandom } from './random.js';
export { Sequence, type WorkerSpec } from './sequence.js';
export type {
  ArrayData,
  Batch,
  EpochIteratorOptions,
  NestedNumbers,
  Structure,
  TypedArray,
} from './types.js';
export { validateBatch } from './validate.js';
