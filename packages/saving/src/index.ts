import './register.js';

export {
  type LoadModelOptions,
  loadModel,
  type ModelFromJSONOptions,
  modelFromJSON,
} from './api/load-model.js';
export { type ParsedModelFile, type ParseOptions, parseModelFile } from './api/model-file.js';
export { type SaveModelOptions, saveModel } from './api/save-model.js';
export { KERAS_FORMAT_VERSION, KERAS_TS_VERSION } from './api/versions.js';
export {
  type LoadWeightsOptions,
  loadWeights,
  type SaveWeightsOptions,
  saveWeights,
} from './api/weights-api.js';
export { kerasMajor, normalizeModelConfig, toKeras2Config } from './config/dialect.js';
export type { Json, JsonObject, SerializedObject } from './config/json-types.js';
export { H5FormatError } from './h5/h5-read.js';
export type { H5Dataset, H5Group } from './h5/tree.js';
export { type FileKind, sniffFormat } from './io/sniff.js';
export type { LayerLike, ModelLike, OptimizerLike, VariableLike } from './model/types.js';
export type { DecodedWeight } from './tfjs/weights-codec.js';
export { type SaveableEntry, walkKeras3 } from './weights/keras3-walk.js';
