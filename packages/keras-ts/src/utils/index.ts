/** `keras.utils`: Sequence, multi_gpu_model, to_categorical, plot_model and friends. */
export { arrayBatches, Sequence } from '@keras-ts/data';
export {
  deserializeKerasObject,
  getRegisteredClass as getRegisteredObject,
  registerKerasSerializable,
  serializeKerasObject,
  withCustomObjects as customObjectScope,
} from '@keras-ts/layers';
export { listDevices, multiGpuModel, type ParallelModel } from '@keras-ts/multi-gpu';
export { type HistoryLike, type PlotHistoryOptions, plotHistory } from './plot-history.js';
export {
  type PlotModelOptions,
  type PlottableLayer,
  type PlottableModel,
  plotModel,
} from './plot-model.js';
export { toCategorical } from './to-categorical.js';
