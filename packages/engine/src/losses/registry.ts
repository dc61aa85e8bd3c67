import type * as tf from '@tensorflow/tfjs-core';
import { snakeToCamel, toSnakeCase } from '../optimizers/naming.js';
import type { SerializedKerasObject } from '../optimizers/schedules/learning-rate-schedule.js';
import {
  binaryCrossentropy,
  binaryFocalCrossentropy,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  sparseCategoricalCrossentropy,
} from './crossentropy-functions.js';
import { CTC, ctc } from './ctc.js';
import { Loss, type LossFn, LossFunctionWrapper } from './loss.js';
import {
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Dice,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
  Tversky,
} from './loss-classes.js';
import {
  categoricalHinge,
  cosineSimilarity,
  dice,
  hinge,
  huber,
  klDivergence,
  logCosh,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  poisson,
  squaredHinge,
  tversky,
} from './regression-functions.js';

export type LossClass = (new (args?: Record<string, unknown>) => Loss) & { className: string };

const CLASSES = [
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  CosineSimilarity,
  Huber,
  LogCosh,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  KLDivergence,
  Poisson,
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  SparseCategoricalCrossentropy,
  Dice,
  Tversky,
  CTC,
] as unknown as LossClass[];

const CLASS_BY_NAME = new Map(CLASSES.map((c) => [c.className, c]));

/** Built-in loss functions by their Keras (snake_case) name. */
export const LOSS_FUNCTIONS: Record<string, LossFn> = {
  mean_squared_error: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  mean_absolute_percentage_error: meanAbsolutePercentageError,
  mean_squared_logarithmic_error: meanSquaredLogarithmicError,
  cosine_similarity: (t, p) => cosineSimilarity(t, p),
  huber: (t, p) => huber(t, p),
  log_cosh: logCosh,
  kl_divergence: klDivergence,
  poisson,
  hinge,
  squared_hinge: squaredHinge,
  categorical_hinge: categoricalHinge,
  binary_crossentropy: (t, p) => binaryCrossentropy(t, p),
  binary_focal_crossentropy: (t, p) => binaryFocalCrossentropy(t, p),
  categorical_crossentropy: (t, p) => categoricalCrossentropy(t, p),
  categorical_focal_crossentropy: (t, p) => categoricalFocalCrossentropy(t, p),
  sparse_categorical_crossentropy: (t, p) => sparseCategoricalCrossentropy(t, p),
  dice: (t, p) => dice(t, p),
  tversky: (t, p) => tversky(t, p),
  ctc: (t, p) => ctc(t, p),
};

/** Keras 3 short names plus the Keras 2 spellings still found in saved configs. */
const ALIASES: Record<string, string> = {
  mse: 'mean_squared_error',
  MSE: 'mean_squared_error',
  mae: 'mean_absolute_error',
  MAE: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error',
  MAPE: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error',
  MSLE: 'mean_squared_logarithmic_error',
  bce: 'binary_crossentropy',
  BCE: 'binary_crossentropy',
  kld: 'kl_divergence',
  KLD: 'kl_divergence',
  kullback_leibler_divergence: 'kl_divergence',
  logcosh: 'log_cosh',
  huber_loss: 'huber',
  cosine_proximity: 'cosine_similarity',
};

/** The snake_case function name for a string id, or null. */
export function resolveLossFunctionName(id: string): string | null {
  if (id in LOSS_FUNCTIONS) return id;
  const alias = ALIASES[id];
  if (alias) return alias;
  const snake = toSnakeCase(id);
  // camelCase function names ('meanSquaredError'), not class names ('MeanSquaredError').
  if (/^[a-z]/.test(id) && snake in LOSS_FUNCTIONS) return snake;
  return null;
}

const customLosses = new Map<string, LossClass | LossFn>();

/** Makes a user loss class or function resolvable by name in `get` / `deserialize`. */
export function registerLoss(name: string, loss: LossClass | LossFn): void {
  customLosses.set(name, loss);
}

function isLossClass(x: unknown): x is LossClass {
  return typeof x === 'function' && x.prototype instanceof Loss;
}

function fromFunction(fn: LossFn, name?: string): Loss {
  return new LossFunctionWrapper(fn, {
    name: name ?? toSnakeCase(fn.name || 'loss'),
    fnName: name ?? null,
  });
}

function configToArgs(config: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'fn') continue;
    // Keras 2 (tf.keras) losses used reduction 'auto', which is Keras 3's default.
    if (k === 'reduction' && v === 'auto') {
      args.reduction = 'sum_over_batch_size';
      continue;
    }
    args[snakeToCamel(k)] = v;
  }
  return args;
}

/** Identifiers `losses.get` accepts. */
export type LossIdentifier =
  | string
  | Loss
  | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)
  | SerializedKerasObject
  | { class_name: string; config?: unknown };

/** Keras `keras.losses.deserialize` (Keras 3 and Keras 2 dialects). */
export function deserialize(
  config: string | SerializedKerasObject | { class_name: string; config?: unknown },
  options: { customObjects?: Record<string, unknown> } = {},
): Loss {
  const custom = options.customObjects ?? {};
  if (typeof config === 'string') return fromName(config, custom);
  const { class_name: className } = config;
  if (className === 'function') {
    const fnName = String(config.config ?? (config as SerializedKerasObject).registered_name);
    return fromName(fnName, custom);
  }
  const registered = (config as SerializedKerasObject).registered_name ?? className;
  const found =
    custom[registered] ??
    custom[className] ??
    customLosses.get(registered) ??
    CLASS_BY_NAME.get(className);
  const cfg = (config.config ?? {}) as Record<string, unknown>;
  if (isLossClass(found)) return new found(configToArgs(cfg));
  if (typeof found === 'function') return fromFunction(found as LossFn, className);
  if (className === 'LossFunctionWrapper' && typeof cfg.fn === 'string') {
    const wrapped = fromName(cfg.fn, custom);
    return wrapped;
  }
  return fromName(className, custom);
}

function fromName(id: string, custom: Record<string, unknown>): Loss {
  const user = custom[id] ?? customLosses.get(id);
  if (isLossClass(user)) return new user();
  if (typeof user === 'function') return fromFunction(user as LossFn, id);
  const cls = CLASS_BY_NAME.get(id);
  if (cls) return new cls();
  const fnName = resolveLossFunctionName(id);
  if (fnName) return fromFunction(LOSS_FUNCTIONS[fnName] as LossFn, fnName);
  throw new Error(
    `Could not interpret loss identifier: ${id}. Expected a Keras loss name (e.g. ` +
      `'mean_squared_error', 'mse', 'categorical_crossentropy', 'BinaryCrossentropy'), a ` +
      'function, a Loss instance or a serialized config; custom losses need customObjects or ' +
      'registerLoss.',
  );
}

/**
 * Keras `keras.losses.get`, returning a `Loss` in every case: a loss function (by name or
 * value) comes back wrapped in a `LossFunctionWrapper` named after it, as compile wraps it.
 */
export function get(identifier: LossIdentifier): Loss;
export function get(identifier: null | undefined): null;
export function get(identifier: LossIdentifier | null | undefined): Loss | null;
export function get(identifier: LossIdentifier | null | undefined): Loss | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return fromFunction(identifier);
  if (typeof identifier === 'string') return fromName(identifier, {});
  if (typeof identifier === 'object' && 'class_name' in identifier) return deserialize(identifier);
  throw new Error(`Could not interpret loss identifier: ${String(identifier)}`);
}

/** Keras `keras.losses.serialize`: a built-in function form or a class config. */
export function serialize(loss: Loss): SerializedKerasObject {
  if (loss.constructor === LossFunctionWrapper) {
    const fnName = (loss as LossFunctionWrapper).fnName;
    if (fnName && fnName in LOSS_FUNCTIONS) {
      return {
        module: 'keras.losses',
        class_name: 'function',
        config: fnName as unknown as Record<string, unknown>,
        registered_name: fnName,
      };
    }
  }
  const cls = loss.constructor as unknown as LossClass;
  const builtIn = CLASS_BY_NAME.get(cls.className) === cls;
  return {
    module: builtIn ? 'keras.losses' : null,
    class_name: cls.className,
    config: loss.getConfig(),
    registered_name: builtIn ? null : cls.className,
  };
}
