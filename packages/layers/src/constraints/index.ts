import type { ConfigValue } from '../engine/types.js';
import { snakeToCamel } from '../serialization/config-keys.js';
import {
  type CustomObjects,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';
import { Constraint } from './constraint.js';
import { MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from './norms.js';

export { Constraint } from './constraint.js';
export { type Axis, MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from './norms.js';

export type ConstraintIdentifier = Constraint | ConfigValue;

export const BUILTIN_CONSTRAINTS = [MaxNorm, MinMaxNorm, NonNeg, UnitNorm];

const BY_NAME: Record<string, () => Constraint> = {
  max_norm: () => new MaxNorm(),
  min_max_norm: () => new MinMaxNorm(),
  non_neg: () => new NonNeg(),
  unit_norm: () => new UnitNorm(),
};
const CAMEL_TO_SNAKE = new Map(Object.keys(BY_NAME).map((k) => [snakeToCamel(k), k]));

/** Keras `constraints.get`: a name, an instance, or a serialized dict (either dialect). */
export function get(
  identifier: ConstraintIdentifier | null | undefined,
  opts: { customObjects?: CustomObjects } = {},
): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string') {
    const key = BY_NAME[identifier] ? identifier : CAMEL_TO_SNAKE.get(identifier);
    const make = key ? BY_NAME[key] : undefined;
    if (make) return make();
  }
  const obj = deserializeKerasObject(identifier as ConfigValue, { ...opts, kind: 'constraints' });
  if (!(obj instanceof Constraint)) {
    throw new Error(
      `Could not interpret constraint identifier: ${JSON.stringify(identifier)}. ` +
        `Expected 'max_norm', 'min_max_norm', 'non_neg', 'unit_norm', a Constraint, or a serialized constraint.`,
    );
  }
  return obj;
}

export function serialize(constraint: Constraint | null): ConfigValue {
  return serializeKerasObject(constraint);
}

export function deserialize(config: ConfigValue, opts: { customObjects?: CustomObjects } = {}) {
  return get(config as ConstraintIdentifier, opts);
}
