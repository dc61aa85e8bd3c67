import './register.js';

export {
  type LoadModelOptions,
  loadModel,
  type ModelFromJSONOptions,
  modelFromJSON,
} from './api/load-model.js';
export { type ParsedModelFile, parseModelFile } from './api/model-file.js';
export { type SaveModelOptions, saveModel } from './api/save-model.js';
export { KERAS_FORMAT_VERSION, KERAS_TS_VERSION } from './api/versions.js';
export {
  type LoadWeightsOptions,
  loadWeights,
  type SaveWeightsOptions,
  saveWeights,
} from './api/weights-api.js';
export { kerasMajor, normalizeModelConfig, toKeras2Config } from './config/dialect.js';
export { H5FormatError } from './h5/h5-read.js';
export { sniffFormat } from './io/sniff.js';
export type { LayerLike, ModelLike, OptimizerLike, VariableLike } from './model/types.js';
export { walkKeras3 } from './weights/keras3-walk.js';
