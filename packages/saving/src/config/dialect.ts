import {
  isObject,
  isSerializedObject,
  type Json,
  type JsonObject,
  type SerializedObject,
} from './json-types.js';

/** Major Keras version of a file (`"2.15.0"` -> 2, `"2.2.4-tf"` -> 2, `"tfjs-layers 4.22"` -> 2). */
export function kerasMajor(version: string | undefined): number | undefined {
  if (version === undefined) return undefined;
  // tfjs-layers follows Keras 2's semantics and config dialect.
  if (version.startsWith('tfjs')) return 2;
  const m = /^(\d+)\./.exec(version);
  return m ? Number(m[1]) : undefined;
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/**
 * Keras 2's `hard_sigmoid` (`clip(0.2x + 0.5, 0, 1)`) differs from Keras 3's (`relu6(x + 3) / 6`).
 * Configs from Keras < 3 files name it by this key, which model building maps to the Keras 2
 * function of `@keras-ts/layers`.
 */
export const KERAS2_HARD_SIGMOID = 'keras2_hard_sigmoid';
const ACTIVATION_KEYS = new Set(['activation', 'recurrent_activation', 'inner_activation']);

/**
 * Brings a model config in either dialect to the shape Keras 3's deserializer expects:
 * list-style Sequential configs (Keras <= 2.1) become `{name, layers}`, a Keras 2 Sequential's
 * `batch_input_shape` on its first layer becomes an explicit InputLayer, InputLayer's
 * `batch_input_shape` becomes `batch_shape`, and `Model` is `Functional`. Everything else (dtype
 * strings, nested-list inbound nodes, missing `module`) is left to the layers' and models'
 * `fromConfig`, which accept both dialects.
 */
export function normalizeModelConfig(
  model: Json,
  options: { source: string; kerasVersion?: string },
): SerializedObject {
  if (!isSerializedObject(model)) {
    throw new Error(
      `Expected the model config of "${options.source}" to be an object with "class_name" and "config". ` +
        `Received: ${JSON.stringify(model).slice(0, 120)}`,
    );
  }
  return normalizeObject(model, kerasMajor(options.kerasVersion)) as SerializedObject;
}

function normalizeObject(obj: SerializedObject, major: number | undefined): SerializedObject {
  let className = obj.class_name;
  let config = obj.config;
  if (className === 'Model') className = 'Functional';
  if (className === 'Sequential') config = normalizeSequential(config);
  if (isObject(config)) {
    config = decodeSpecialValues({ ...config }) as JsonObject;
    if (major !== undefined && major <= 2) {
      for (const key of Object.keys(config)) {
        if (ACTIVATION_KEYS.has(key) && config[key] === 'hard_sigmoid')
          config[key] = KERAS2_HARD_SIGMOID;
      }
    }
    if (className === 'InputLayer' && 'batch_input_shape' in config && !('batch_shape' in config)) {
      config.batch_shape = config.batch_input_shape ?? null;
      delete config.batch_input_shape;
    }
    // Keras <= 2.0 and tfjs-layers GRUs have no `reset_after` (their GRU is reset_after=False);
    // Keras 3's default (True) would change the bias shape.
    if ((className === 'GRU' || className === 'GRUCell') && major !== undefined && major <= 2) {
      if (!('reset_after' in config)) config.reset_after = false;
    }
    if (Array.isArray(config.layers) && MODEL_CLASSES.has(className)) {
      config.layers = config.layers.map((l) =>
        isSerializedObject(l) ? normalizeObject(l, major) : l,
      );
    }
    // Wrappers (Bidirectional, TimeDistributed) hold their inner layer under `layer`.
    if (isSerializedObject(config.layer)) config.layer = normalizeObject(config.layer, major);
    if (isSerializedObject(config.backward_layer)) {
      config.backward_layer = normalizeObject(config.backward_layer, major);
    }
  }
  return { ...obj, class_name: className, config };
}

/**
 * Keras 3 encodes array arguments as `{"class_name": "__tensor__" | "__numpy__", "config":
 * {"value": ...}}`; layers take the plain value (a one-element list becomes its number).
 */
function decodeSpecialValues(config: JsonObject): JsonObject {
  for (const [key, v] of Object.entries(config)) {
    if (isSerializedObject(v) && (v.class_name === '__tensor__' || v.class_name === '__numpy__')) {
      const value = isObject(v.config) ? v.config.value : undefined;
      config[key] =
        Array.isArray(value) && value.length === 1 && typeof value[0] === 'number'
          ? value[0]
          : (value ?? null);
    }
  }
  return config;
}

function normalizeSequential(config: Json): Json {
  const asObject: JsonObject = Array.isArray(config)
    ? { name: 'sequential', layers: config }
    : isObject(config)
      ? { ...config }
      : { layers: [] };
  const layers = Array.isArray(asObject.layers) ? [...asObject.layers] : [];
  const first = layers[0];
  if (isSerializedObject(first) && first.class_name !== 'InputLayer' && isObject(first.config)) {
    const shape = first.config.batch_input_shape ?? first.config.batch_shape;
    if (Array.isArray(shape)) {
      const inner = { ...first.config };
      delete inner.batch_input_shape;
      delete inner.batch_shape;
      const dtype = typeof inner.dtype === 'string' ? inner.dtype : dtypeName(inner.dtype);
      const name = typeof inner.name === 'string' ? `${inner.name}_input` : 'input_layer';
      layers[0] = { ...first, config: inner };
      layers.unshift({
        class_name: 'InputLayer',
        config: { batch_shape: shape, dtype: dtype ?? 'float32', sparse: false, name },
      });
    }
  }
  asObject.layers = layers;
  return asObject;
}

/** `"float32"` or the `name` inside a DTypePolicy object. */
export function dtypeName(dtype: Json | undefined): string | undefined {
  if (typeof dtype === 'string') return dtype;
  if (
    isSerializedObject(dtype) &&
    isObject(dtype.config) &&
    typeof dtype.config.name === 'string'
  ) {
    return dtype.config.name;
  }
  return undefined;
}

const KERAS3_ONLY_KEYS = [
  'module',
  'registered_name',
  'build_config',
  'compile_config',
  'shared_object_id',
];

/**
 * The Keras 2 dialect of a Keras 3 config, for readers that only know it (tfjs-layers, tf.keras):
 * no `module` / `registered_name` / `build_config`, dtype policies as strings, InputLayer's
 * `batch_input_shape`, and inbound nodes as nested lists `[[["dense", 0, 0, {}]]]`.
 */
export function toKeras2Config(value: Json): Json {
  if (Array.isArray(value)) return value.map(toKeras2Config);
  if (!isObject(value)) return value;
  if (isSerializedObject(value) && value.class_name === 'DTypePolicy') {
    return dtypeName(value) ?? 'float32';
  }
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (isSerializedObject(value) && KERAS3_ONLY_KEYS.includes(key)) continue;
    if (key === 'inbound_nodes' && Array.isArray(v)) {
      out[key] = v.map(inboundNodeToKeras2);
    } else if (key === 'dtype') {
      out[key] = dtypeName(v) ?? toKeras2Config(v);
    } else {
      out[key] = toKeras2Config(v);
    }
  }
  if (isSerializedObject(value) && value.class_name === 'InputLayer' && isObject(out.config)) {
    const cfg = { ...out.config };
    if ('batch_shape' in cfg) {
      cfg.batch_input_shape = cfg.batch_shape ?? null;
      delete cfg.batch_shape;
    }
    out.config = cfg;
  }
  if (isSerializedObject(value) && value.class_name === 'Functional') out.class_name = 'Model';
  return out;
}

function inboundNodeToKeras2(node: Json): Json {
  if (Array.isArray(node)) return node;
  if (!isObject(node)) return node;
  const refs: Json[] = [];
  const kwargs = isObject(node.kwargs) ? toKeras2Config(node.kwargs) : {};
  const visit = (v: Json): void => {
    if (Array.isArray(v)) {
      for (const item of v) visit(item);
    } else if (isSerializedObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config)) {
      const history = v.config.keras_history;
      if (Array.isArray(history)) refs.push([...history, kwargs]);
    }
  };
  visit(node.args ?? []);
  return refs;
}
