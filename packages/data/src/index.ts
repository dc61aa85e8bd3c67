export { type ArrayBatchesOptions, ArraySequence, arrayBatches } from './arrays.js';
export { type BatchSource, batchesOf, type PrefetchOptions, prefetch } from './generators.js';
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
