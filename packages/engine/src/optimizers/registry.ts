import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { configToArgs } from './config-args.js';
import { Ftrl } from './ftrl.js';
import { Lamb } from './lamb.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import type { SerializedKerasObject } from './schedules/learning-rate-schedule.js';
import { SGD } from './sgd.js';

export type OptimizerClass = (new (
  args: Record<string, unknown>,
) => Optimizer) & { className: string };

const BUILT_IN = [
  SGD,
  RMSprop,
  Adam,
  AdamW,
  Adamax,
  Adagrad,
  Adadelta,
  Nadam,
  Ftrl,
  Lion,
  Lamb,
] as unknown as OptimizerClass[];

const BY_LOWER_NAME = new Map<string, OptimizerClass>(
  BUILT_IN.map((c) => [c.className.toLowerCase(), c]),
);

const custom = new Map<string, OptimizerClass>();

/** Makes a user optimizer class deserializable by its `className`. */
export function registerOptimizer(cls: OptimizerClass): void {
  custom.set(cls.className, cls);
}

/** Keras 3 `keras.optimizers.serialize`. */
export function serialize(optimizer: Optimizer): SerializedKerasObject {
  const cls = optimizer.constructor as unknown as OptimizerClass;
  const builtIn = BUILT_IN.includes(cls);
  return {
    module: builtIn ? 'keras.optimizers' : null,
    class_name: cls.className,
    config: optimizer.getConfig(),
    registered_name: builtIn ? null : cls.className,
  };
}

/**
 * Keras `keras.optimizers.deserialize`: a Keras 3 `{module, class_name, config, registered_name}`
 * or a Keras 2 `{class_name, config}` (with `lr`, `decay`, ...). Class names match
 * case-insensitively among the built-ins, as in Keras 3.
 */
export function deserialize(
  config: SerializedKerasObject | { class_name: string; config?: Record<string, unknown> },
  options: { customObjects?: Record<string, unknown> } = {},
): Optimizer {
  const customObjects = options.customObjects ?? {};
  const className = config.class_name;
  const registered = (config as SerializedKerasObject).registered_name ?? className;
  const cls =
    (customObjects[registered] as OptimizerClass | undefined) ??
    (customObjects[className] as OptimizerClass | undefined) ??
    custom.get(registered) ??
    BY_LOWER_NAME.get(className.toLowerCase()) ??
    // Keras 2 stored `{class_name: 'Custom>Adam'}` style names for registered classes.
    BY_LOWER_NAME.get(className.replace(/^.*>/, '').toLowerCase());
  if (!cls) {
    throw new Error(
      `Could not interpret optimizer identifier: ${JSON.stringify(config)}. Expected one of ` +
        `${BUILT_IN.map((c) => `'${c.className}'`).join(', ')}, or a class passed in ` +
        'customObjects / registerOptimizer.',
    );
  }
  return new cls(configToArgs(config.config ?? {}, customObjects));
}

/** Identifiers `optimizers.get` accepts. */
export type OptimizerIdentifier =
  | string
  | Optimizer
  | SerializedKerasObject
  | { class_name: string; config?: Record<string, unknown> }
  | null
  | undefined;

/**
 * Keras `keras.optimizers.get`: a name (`'adam'`, `'Adam'`, `'rmsprop'`), an instance (returned
 * as is), or a serialized config. `null`/`undefined` give `null`.
 */
export function get(identifier: OptimizerIdentifier): Optimizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    return deserialize({ class_name: identifier, config: {} });
  }
  if (typeof identifier === 'object' && 'class_name' in identifier) return deserialize(identifier);
  throw new Error(`Could not interpret optimizer identifier: ${String(identifier)}`);
}
