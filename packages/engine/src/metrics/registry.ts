import { Loss, LossFunctionWrapper } from '../losses/loss.js';
import { resolveLossFunctionName } from '../losses/registry.js';
import { snakeToCamel, toSnakeCase } from '../optimizers/naming.js';
import type { SerializedKerasObject } from '../optimizers/schedules/learning-rate-schedule.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy-metrics.js';
import {
  AUC,
  FalseNegatives,
  FalsePositives,
  Precision,
  Recall,
  TrueNegatives,
  TruePositives,
} from './confusion-metrics.js';
import { F1Score, FBetaScore } from './f-score-metrics.js';
import { IoU, MeanIoU } from './iou-metrics.js';
import { Metric } from './metric.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  Hinge,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
} from './probabilistic-metrics.js';
import { Mean, MeanMetricWrapper, type MetricFn, Sum } from './reduction-metrics.js';
import {
  CosineSimilarity,
  LogCoshError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  R2Score,
  RootMeanSquaredError,
} from './regression-metrics.js';

export type MetricClass = (new (args?: Record<string, unknown>) => Metric) & { className: string };

const CLASSES = [
  Mean,
  Sum,
  MeanSquaredError,
  RootMeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  CosineSimilarity,
  LogCoshError,
  R2Score,
  AUC,
  FalseNegatives,
  FalsePositives,
  Precision,
  Recall,
  TrueNegatives,
  TruePositives,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  KLDivergence,
  Poisson,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  F1Score,
  FBetaScore,
  IoU,
  MeanIoU,
] as unknown as MetricClass[];

const BY_NAME = new Map<string, MetricClass>();
for (const c of CLASSES) {
  BY_NAME.set(c.className, c);
  BY_NAME.set(toSnakeCase(c.className), c);
}
for (const [alias, cls] of Object.entries({
  bce: BinaryCrossentropy,
  BCE: BinaryCrossentropy,
  mse: MeanSquaredError,
  MSE: MeanSquaredError,
  mae: MeanAbsoluteError,
  MAE: MeanAbsoluteError,
  mape: MeanAbsolutePercentageError,
  MAPE: MeanAbsolutePercentageError,
  msle: MeanSquaredLogarithmicError,
  MSLE: MeanSquaredLogarithmicError,
  // Keras 2 metric names kept in old compile configs.
  acc: Accuracy,
  logcosh: LogCoshError,
  kld: KLDivergence,
  KLD: KLDivergence,
  kullback_leibler_divergence: KLDivergence,
  auc: AUC,
  rmse: RootMeanSquaredError,
})) {
  BY_NAME.set(alias, cls as unknown as MetricClass);
}

const customMetrics = new Map<string, MetricClass | MetricFn>();

/** Makes a user metric class or function resolvable by name. */
export function registerMetric(name: string, metric: MetricClass | MetricFn): void {
  customMetrics.set(name, metric);
}

function isMetricClass(x: unknown): x is MetricClass {
  return typeof x === 'function' && x.prototype instanceof Metric;
}

function lookup(id: string): MetricClass | null {
  const direct = BY_NAME.get(id);
  if (direct) return direct;
  // camelCase spellings ('binaryAccuracy', 'meanSquaredError').
  if (/^[a-z]/.test(id)) return BY_NAME.get(toSnakeCase(id)) ?? null;
  return null;
}

function configToArgs(config: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'fn') continue;
    args[snakeToCamel(k)] = v;
  }
  return args;
}

/** Identifiers `metrics.get` accepts. */
export type MetricIdentifier =
  | string
  | Metric
  | MetricFn
  | SerializedKerasObject
  | { class_name: string; config?: Record<string, unknown> };

/** Keras `keras.metrics.deserialize`. */
export function deserialize(
  config: SerializedKerasObject | { class_name: string; config?: Record<string, unknown> },
  options: { customObjects?: Record<string, unknown> } = {},
): Metric {
  const custom = options.customObjects ?? {};
  const registered = (config as SerializedKerasObject).registered_name ?? config.class_name;
  const found =
    custom[registered] ??
    custom[config.class_name] ??
    customMetrics.get(registered) ??
    lookup(config.class_name);
  const cfg = config.config ?? {};
  if (isMetricClass(found)) return new found(configToArgs(cfg));
  if (typeof found === 'function') {
    return new MeanMetricWrapper(found as MetricFn, { name: (cfg.name as string) ?? registered });
  }
  if (
    config.class_name === 'function' &&
    typeof (config as { config: unknown }).config === 'string'
  ) {
    return get((config as { config: unknown }).config as string);
  }
  throw new Error(
    `Could not interpret metric identifier: ${JSON.stringify(config)}. Custom metrics need ` +
      'customObjects or registerMetric.',
  );
}

/**
 * Keras `keras.metrics.get`: a name (class, snake_case, camelCase or short alias), an instance,
 * a function of `(yTrue, yPred)` (wrapped in `MeanMetricWrapper`) or a serialized config.
 * A loss function name ('binary_crossentropy') gives the matching metric class.
 */
export function get(identifier: MetricIdentifier): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === 'function') return new MeanMetricWrapper(identifier);
  if (typeof identifier === 'string') {
    const user = customMetrics.get(identifier);
    if (isMetricClass(user)) return new user();
    if (typeof user === 'function')
      return new MeanMetricWrapper(user as MetricFn, { name: identifier });
    const cls = lookup(identifier);
    if (cls) return new cls();
    throw new Error(
      `Could not interpret metric identifier: ${identifier}. Expected a Keras metric name (e.g. ` +
        "'accuracy', 'mae', 'AUC', 'precision'), a function, a Metric instance or a config.",
    );
  }
  if (typeof identifier === 'object' && identifier !== null && 'class_name' in identifier) {
    return deserialize(identifier);
  }
  throw new Error(`Could not interpret metric identifier: ${String(identifier)}`);
}

/** Keras `keras.metrics.serialize`. */
export function serialize(metric: Metric): SerializedKerasObject {
  const cls = metric.constructor as unknown as MetricClass;
  const builtIn = BY_NAME.get(cls.className) === cls;
  return {
    module: builtIn ? 'keras.metrics' : null,
    class_name: cls.className,
    config: metric.getConfig(),
    registered_name: builtIn ? null : cls.className,
  };
}

/** The snake_case loss function name behind a compile `loss` argument, when it is a built-in. */
function lossName(loss: unknown): string | null {
  if (typeof loss === 'string') {
    const fn = resolveLossFunctionName(loss);
    if (fn) return fn;
    return toSnakeCase(loss);
  }
  if (loss instanceof LossFunctionWrapper && loss.fnName) return loss.fnName;
  if (loss instanceof Loss) return toSnakeCase((loss.constructor as typeof Loss).className);
  if (typeof loss === 'function' && loss.name) return resolveLossFunctionName(loss.name);
  return null;
}

/** Which variant `'accuracy'` / `'crossentropy'` means for one output. */
export type AccuracyKind = 'binary' | 'sparse' | 'categorical';

/**
 * How Keras turns `metrics: ['accuracy' | 'acc' | 'crossentropy' | 'ce']` into a metric for one
 * output: binary when the output has one unit or the loss is binary crossentropy, sparse when
 * the loss is sparse categorical crossentropy (or, given `yTrueShape`, the labels are integer
 * ids: one rank less, or a trailing 1 against several classes, as Keras 3 checks), categorical
 * otherwise. The metric keeps the name it was asked by.
 */
export function resolveAccuracy(args: {
  loss?: unknown;
  outputShape: readonly (number | null)[];
  yTrueShape?: readonly (number | null)[];
  identifier?: string;
}): { kind: AccuracyKind; metric: Metric } {
  const id = args.identifier ?? 'accuracy';
  const lower = id.toLowerCase();
  const isAcc = lower === 'accuracy' || lower === 'acc';
  const isCe = lower === 'crossentropy' || lower === 'ce';
  if (!isAcc && !isCe) {
    throw new Error(
      `resolveAccuracy resolves 'accuracy', 'acc', 'crossentropy' or 'ce'. Received: identifier=${id}`,
    );
  }
  const name = lossName(args.loss);
  const out = args.outputShape;
  const last = out[out.length - 1];
  let kind: AccuracyKind;
  if (last === 1 || name === 'binary_crossentropy' || name === 'binary_focal_crossentropy') {
    kind = 'binary';
  } else if (name === 'sparse_categorical_crossentropy') {
    kind = 'sparse';
  } else if (
    args.yTrueShape &&
    (args.yTrueShape.length < out.length ||
      (args.yTrueShape.length === out.length && args.yTrueShape[args.yTrueShape.length - 1] === 1))
  ) {
    kind = 'sparse';
  } else {
    kind = 'categorical';
  }
  let metric: Metric;
  if (isAcc) {
    metric =
      kind === 'binary'
        ? new BinaryAccuracy({ name: id })
        : kind === 'sparse'
          ? new SparseCategoricalAccuracy({ name: id })
          : new CategoricalAccuracy({ name: id });
  } else {
    metric =
      kind === 'binary'
        ? new BinaryCrossentropy({ name: id })
        : kind === 'sparse'
          ? new SparseCategoricalCrossentropy({ name: id })
          : new CategoricalCrossentropy({ name: id });
  }
  return { kind, metric };
}
