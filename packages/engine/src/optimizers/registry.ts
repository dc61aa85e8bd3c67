import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Ftrl } from './ftrl.js';
import { Lamb } from './lamb.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { snakeToCamel } from './naming.js';
import { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { InverseTimeDecay } from './schedules/decay-schedules.js';
import type { SerializedKerasObject } from './schedules/learning-rate-schedule.js';
import { deserialize as deserializeSchedule } from './schedules/serialization.js';
import { SGD } from './sgd.js';

type OptimizerClass = (new (args: Record<string, unknown>) => Optimizer) & { className: string };

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

/** Keys Keras 2 (and tf.keras 2.11+) configs carry that Keras 3 dropped. */
const KERAS2_ONLY = new Set(['decay', 'is_legacy_optimizer', 'jit_compile', 'schedule_decay']);

/**
 * Turns a config's snake_case keys into constructor options. Keras 2's `lr` becomes
 * `learning_rate`; a Keras 2 `decay` > 0 becomes the schedule Keras 2 computed,
 * `lr / (1 + decay * iterations)` (an InverseTimeDecay with decay_steps 1).
 */
function configToArgs(
  config: Record<string, unknown>,
  customObjects: Record<string, unknown>,
): Record<string, unknown> {
  const c: Record<string, unknown> = { ...config };
  if ('lr' in c) {
    if (!('learning_rate' in c)) c.learning_rate = c.lr;
    delete c.lr;
  }
  const lr = c.learning_rate;
  if (lr && typeof lr === 'object') {
    c.learning_rate = deserializeSchedule(lr as SerializedKerasObject, customObjects);
  }
  const decay = c.decay;
  if (typeof decay === 'number' && decay > 0 && typeof c.learning_rate === 'number') {
    c.learning_rate = new InverseTimeDecay({
      initialLearningRate: c.learning_rate,
      decaySteps: 1,
      decayRate: decay,
    });
  }
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (KERAS2_ONLY.has(k)) continue;
    // Keras 2 wrote `epsilon: null` for "use the backend default".
    if (v === null && k === 'epsilon') continue;
    args[snakeToCamel(k)] = v;
  }
  return args;
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
