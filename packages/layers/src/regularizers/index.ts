import type { ConfigValue } from '../engine/types.js';
import { snakeToCamel } from '../serialization/config-keys.js';
import {
  type CustomObjects,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';
import { L1, L1L2, L2, OrthogonalRegularizer } from './l1l2.js';
import { Regularizer } from './regularizer.js';

export { L1, L1L2, L2, OrthogonalRegularizer } from './l1l2.js';
export { Regularizer } from './regularizer.js';

export type RegularizerIdentifier = Regularizer | ConfigValue;

export const BUILTIN_REGULARIZERS = [L1, L2, L1L2, OrthogonalRegularizer];

/** `regularizers.l1(0.01)`, as in Keras. */
export function l1(l1 = 0.01): L1 {
  return new L1({ l1 });
}
/** `regularizers.l2(0.01)`, as in Keras. */
export function l2(l2 = 0.01): L2 {
  return new L2({ l2 });
}
/** `regularizers.l1_l2(l1=0.01, l2=0.01)`, as in Keras. */
export function l1L2(args: { l1?: number; l2?: number } = {}): L1L2 {
  return new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 });
}
export { l1L2 as l1_l2 };
/** `regularizers.orthogonal_regularizer(factor, mode)`. */
export function orthogonalRegularizer(args: { factor?: number; mode?: 'rows' | 'columns' } = {}) {
  return new OrthogonalRegularizer(args);
}

const BY_NAME: Record<string, () => Regularizer> = {
  l1: () => new L1(),
  l2: () => new L2(),
  l1_l2: () => l1L2(),
  orthogonal_regularizer: () => new OrthogonalRegularizer(),
};
const CAMEL_TO_SNAKE = new Map(Object.keys(BY_NAME).map((k) => [snakeToCamel(k), k]));

/** Keras `regularizers.get`: a name, an instance, or a serialized dict (either dialect). */
export function get(
  identifier: RegularizerIdentifier | null | undefined,
  opts: { customObjects?: CustomObjects } = {},
): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string') {
    const key = BY_NAME[identifier] ? identifier : CAMEL_TO_SNAKE.get(identifier);
    const make = key ? BY_NAME[key] : undefined;
    if (make) return make();
  }
  const obj = deserializeKerasObject(identifier as ConfigValue, { ...opts, kind: 'regularizers' });
  if (!(obj instanceof Regularizer)) {
    throw new Error(
      `Could not interpret regularizer identifier: ${JSON.stringify(identifier)}. ` +
        `Expected 'l1', 'l2', 'l1_l2', a Regularizer, or a serialized regularizer.`,
    );
  }
  return obj;
}

export function serialize(regularizer: Regularizer | null): ConfigValue {
  return serializeKerasObject(regularizer);
}

export function deserialize(config: ConfigValue, opts: { customObjects?: CustomObjects } = {}) {
  return get(config as RegularizerIdentifier, opts);
}
