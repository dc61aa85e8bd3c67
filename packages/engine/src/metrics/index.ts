export {
  Accuracy,
  accuracy,
  BinaryAccuracy,
  binaryAccuracy,
  CategoricalAccuracy,
  categoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  topKCategoricalAccuracy,
} from './accuracy-metrics.js';
export {
  type ConfusionKey,
  NEG_INF,
  updateConfusionMatrixVariables,
} from './confusion-matrix.js';
export {
  AUC,
  type AUCArgs,
  FalseNegatives,
  FalsePositives,
  Precision,
  type PrecisionRecallArgs,
  Recall,
  type ThresholdArgs,
  TrueNegatives,
  TruePositives,
} from './confusion-metrics.js';
export { F1Score, FBetaScore, type FBetaScoreArgs, type FScoreAverage } from './f-score-metrics.js';
export { IoU, type IoUArgs, MeanIoU } from './iou-metrics.js';
export { divideNoNan, Metric, type MetricArgs, type TensorInput } from './metric.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  type CrossentropyMetricArgs,
  Hinge,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './probabilistic-metrics.js';
export {
  Mean,
  MeanMetricWrapper,
  type MetricFn,
  type Reducer,
  reduceToSamplewiseValues,
  Sum,
} from './reduction-metrics.js';
export {
  type AccuracyKind,
  deserialize,
  get,
  type MetricClass,
  type MetricIdentifier,
  registerMetric,
  resolveAccuracy,
  serialize,
} from './registry.js';
export {
  CosineSimilarity,
  cosineSimilarityMetric,
  LogCoshError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  type R2Aggregation,
  R2Score,
  RootMeanSquaredError,
} from './regression-metrics.js';
