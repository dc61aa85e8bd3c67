import type { ConfigValue } from '../engine/types.js';
import { snakeToCamel } from '../serialization/config-keys.js';
import {
  type CustomObjects,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';
import { Constant, Identity, Ones, Zeros } from './constant.js';
import { Initializer } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
} from './random.js';

export { Constant, Identity, Ones, Zeros } from './constant.js';
export { Initializer } from './initializer.js';
export { Orthogonal } from './orthogonal.js';
export {
  computeFans,
  type Distribution,
  type FanMode,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  type PresetArgs,
  RandomInitializer,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  type VarianceScalingArgs,
} from './random.js';

/** What `initializers.get` accepts. */
export type InitializerIdentifier = Initializer | ConfigValue;

/** Keras's string names (snake_case; camelCase also accepted) and Keras 2 aliases. */
const BY_NAME: Record<string, new () => Initializer> = {
  zeros: Zeros,
  zero: Zeros,
  ones: Ones,
  one: Ones,
  constant: Constant,
  identity: Identity,
  orthogonal: Orthogonal,
  random_normal: RandomNormal,
  normal: RandomNormal,
  random_uniform: RandomUniform,
  uniform: RandomUniform,
  truncated_normal: TruncatedNormal,
  variance_scaling: VarianceScaling,
  glorot_uniform: GlorotUniform,
  glorot_normal: GlorotNormal,
  he_uniform: HeUniform,
  he_normal: HeNormal,
  lecun_uniform: LecunUniform,
  lecun_normal: LecunNormal,
};

const CAMEL_TO_SNAKE = new Map(Object.keys(BY_NAME).map((k) => [snakeToCamel(k), k]));

/** Every built-in class, for registration. */
export const BUILTIN_INITIALIZERS = [
  Zeros,
  Ones,
  Constant,
  Identity,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
];

/** Keras `initializers.get`: a name, an instance, or a serialized dict (either dialect). */
export function get(
  identifier: InitializerIdentifier | null | undefined,
  opts: { customObjects?: CustomObjects } = {},
): Initializer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') {
    const key = BY_NAME[identifier] ? identifier : CAMEL_TO_SNAKE.get(identifier);
    const Cls = key ? BY_NAME[key] : undefined;
    if (Cls) return new Cls();
  }
  const obj = deserializeKerasObject(identifier as ConfigValue, { ...opts, kind: 'initializers' });
  if (!(obj instanceof Initializer)) {
    throw new Error(
      `Could not interpret initializer identifier: ${JSON.stringify(identifier)}. ` +
        `Expected a name such as 'glorot_uniform', an Initializer, or a serialized initializer.`,
    );
  }
  return obj;
}

/** Keras 3's serialized form `{module, class_name, config, registered_name}`. */
export function serialize(initializer: Initializer | null): ConfigValue {
  return serializeKerasObject(initializer);
}

export function deserialize(config: ConfigValue, opts: { customObjects?: CustomObjects } = {}) {
  return get(config as InitializerIdentifier, opts);
}
