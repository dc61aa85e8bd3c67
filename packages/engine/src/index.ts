import './register.js';

export { BackupAndRestore, type BackupAndRestoreOptions } from './callbacks/backup-and-restore.js';
export {
  Callback,
  CallbackList,
  type CallbackModel,
  type CallbackParams,
  type Hook,
  type Logs,
} from './callbacks/callback.js';
export { CSVLogger, type CSVLoggerOptions } from './callbacks/csv-logger.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { History } from './callbacks/history.js';
export * as callbacks from './callbacks/index.js';
export {
  type BatchFn,
  type EpochFn,
  LambdaCallback,
  type LambdaCallbackOptions,
  type LogsFn,
} from './callbacks/lambda-callback.js';
export { LearningRateScheduler, type Schedule } from './callbacks/learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export type { MonitorMode } from './callbacks/monitor.js';
export { ProgbarLogger, type ProgbarLoggerOptions } from './callbacks/progbar-logger.js';
export {
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
} from './callbacks/reduce-lr-on-plateau.js';
export { TensorBoard, type TensorBoardOptions } from './callbacks/tensorboard.js';
export { TerminateOnNaN } from './callbacks/terminate-on-nan.js';
export type { Structure } from './data-adapters/structure.js';
export type { SequenceLike } from './data-adapters/types.js';
export { FunctionalGraph } from './functional-graph.js';
export { getModelIO, type ModelIO, registerModelIO } from './io-registry.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export { type CompileArgs, Functional, Model, type ModelArgs } from './model.js';
export * as optimizers from './optimizers/index.js';
export { Progbar, type ProgbarOptions, type ProgbarStream } from './progbar.js';
export { Sequential, type SequentialArgs } from './sequential.js';
export { printSummary, readableSize, type SummaryOptions } from './summary.js';
export {
  crc32c,
  maskedCrc32c,
} from './tensorboard/crc32c.js';
export { EventFileWriter, type Histogram } from './tensorboard/event-file-writer.js';
export type { LossWeightsSpec } from './trainer/compile-loss.js';
export type { MetricsSpec } from './trainer/compile-metrics.js';
export { CompiledState } from './trainer/compiled-state.js';
export type {
  EvaluateOptions,
  FitGeneratorOptions,
  FitOptions,
  GeneratorOptions,
  OnBatchOptions,
  PredictOptions,
} from './trainer/loops.js';
export type { StepData, StepLogs } from './trainer/steps.js';
export type { StepFunction } from './trainer/train-function.js';
export type { Outputs } from './trainer/trainer.js';
export { type LogSource, lazyLogs, resolveLogs } from './utils/lazy-logs.js';
