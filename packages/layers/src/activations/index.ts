import type { ConfigValue } from '../engine/types.js';
import { camelToSnake } from '../serialization/config-keys.js';
import {
  type CustomObjects,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';
import type { ActivationFn } from './functions.js';
import * as fns from './functions.js';

export type { ActivationFn } from './functions.js';
export {
  celu,
  elu,
  exponential,
  gelu,
  glu,
  hardShrink,
  hardSigmoid,
  hardSigmoidKeras2,
  hardSilu,
  hardTanh,
  leakyRelu,
  linear,
  logSigmoid,
  logSoftmax,
  mish,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  softShrink,
  softsign,
  sparsemax,
  squareplus,
  tanh,
  tanhShrink,
} from './functions.js';

function named(name: string, fn: ActivationFn): ActivationFn {
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

/**
 * The unary built-ins by Keras 3 name (what layer configs write). Aliases (`swish`,
 * `hard_swish`) point at the same function, so they serialize under the canonical name.
 */
const relu = named('relu', (x) => fns.relu(x));
const silu = named('silu', fns.silu);
const hardSilu = named('hard_silu', fns.hardSilu);
const hardSigmoid = named('hard_sigmoid', fns.hardSigmoid);
/** Keras 2's `hard_sigmoid`, selected by `get('hard_sigmoid', { kerasVersion: 2 })`. */
export const hardSigmoidV2 = named('hard_sigmoid', fns.hardSigmoidKeras2);

export const BUILTIN_ACTIVATIONS: Record<string, ActivationFn> = {
  relu,
  relu6: named('relu6', fns.relu6),
  sigmoid: named('sigmoid', fns.sigmoid),
  tanh: named('tanh', fns.tanh),
  linear: named('linear', fns.linear),
  exponential: named('exponential', fns.exponential),
  softmax: named('softmax', (x) => fns.softmax(x)),
  log_softmax: named('log_softmax', (x) => fns.logSoftmax(x)),
  softplus: named('softplus', fns.softplus),
  softsign: named('softsign', fns.softsign),
  elu: named('elu', (x) => fns.elu(x)),
  selu: named('selu', fns.selu),
  gelu: named('gelu', (x) => fns.gelu(x)),
  silu,
  swish: silu,
  hard_sigmoid: hardSigmoid,
  hard_silu: hardSilu,
  hard_swish: hardSilu,
  leaky_relu: named('leaky_relu', (x) => fns.leakyRelu(x)),
  mish: named('mish', fns.mish),
  celu: named('celu', (x) => fns.celu(x)),
  glu: named('glu', (x) => fns.glu(x)),
  hard_tanh: named('hard_tanh', fns.hardTanh),
  log_sigmoid: named('log_sigmoid', fns.logSigmoid),
  tanh_shrink: named('tanh_shrink', fns.tanhShrink),
  squareplus: named('squareplus', (x) => fns.squareplus(x)),
  soft_shrink: named('soft_shrink', (x) => fns.softShrink(x)),
  hard_shrink: named('hard_shrink', (x) => fns.hardShrink(x)),
  sparsemax: named('sparsemax', (x) => fns.sparsemax(x)),
};

const CANONICAL = new Map<ActivationFn, string>();
for (const [name, fn] of Object.entries(BUILTIN_ACTIVATIONS)) {
  if (!CANONICAL.has(fn)) CANONICAL.set(fn, name);
}

export type ActivationIdentifier = ActivationFn | ConfigValue;

/**
 * Keras `activations.get`: null -> linear, a name (snake or camel case), a function, or a
 * serialized dict. `kerasVersion` < 3 selects Keras 2 semantics (only `hard_sigmoid` differs).
 */
export function get(
  identifier: ActivationIdentifier | null | undefined,
  opts: { kerasVersion?: number | string; customObjects?: CustomObjects } = {},
): ActivationFn {
  if (identifier === null || identifier === undefined)
    return BUILTIN_ACTIVATIONS.linear as ActivationFn;
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') {
    const key = camelToSnake(identifier);
    if (key === 'hard_sigmoid' && isKeras2(opts.kerasVersion)) return hardSigmoidV2;
    const fn = BUILTIN_ACTIVATIONS[key] ?? BUILTIN_ACTIVATIONS[identifier];
    if (fn) return fn;
  }
  const obj = deserializeKerasObject(identifier as ConfigValue, { ...opts, kind: 'activations' });
  if (typeof obj !== 'function') {
    throw new Error(
      `Could not interpret activation function identifier: ${JSON.stringify(identifier)}. ` +
        `Expected one of ${Object.keys(BUILTIN_ACTIVATIONS).join(', ')}, a function, or a registered name.`,
    );
  }
  return obj as ActivationFn;
}

function isKeras2(version: number | string | undefined): boolean {
  if (version === undefined) return false;
  const major = typeof version === 'number' ? version : Number.parseInt(version, 10);
  return Number.isFinite(major) && major < 3;
}

/** Keras 3's `activations.serialize`: built-ins by name, registered functions as dicts. */
export function serialize(fn: ActivationFn): ConfigValue {
  const name = CANONICAL.get(fn) ?? (fn === hardSigmoidV2 ? 'hard_sigmoid' : undefined);
  if (name !== undefined) return name;
  return serializeKerasObject(fn);
}

export function deserialize(config: ConfigValue, opts: { customObjects?: CustomObjects } = {}) {
  return get(config as ActivationIdentifier, opts);
}

/** The `tf.fused.matMul` activation equivalent to `fn`, if there is one. */
export function fusedActivationName(
  fn: ActivationFn,
): 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | undefined {
  const name = CANONICAL.get(fn);
  if (
    name === 'linear' ||
    name === 'relu' ||
    name === 'relu6' ||
    name === 'elu' ||
    name === 'sigmoid'
  ) {
    return name;
  }
  return undefined;
}
