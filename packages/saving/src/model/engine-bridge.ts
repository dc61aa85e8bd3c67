import * as engine from '@keras-ts/engine';
import * as layers from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { KERAS2_HARD_SIGMOID, kerasMajor } from '../config/dialect.js';
import {
  isObject,
  type Json,
  type JsonObject,
  type SerializedObject,
} from '../config/json-types.js';
import { kerasClassName, type ModelLike } from './types.js';

/**
 * The few calls saving makes into layers and engine, in one place (the seams of
 * docs/design/package-contracts.md): the layers registry rebuilds models (engine registers
 * Functional / Sequential / Model there), `compile` restores training state.
 */
export interface BuildOptions {
  customObjects?: Record<string, unknown>;
  safeMode?: boolean;
  /** The Keras version that wrote the file: Keras 2's `hard_sigmoid` differs. */
  kerasVersion?: string;
  source: string;
}

type Deserialize = (config: Json, opts: Record<string, unknown>) => unknown;

function registryFn<T>(name: string): T | undefined {
  const fn = (layers as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (fn as T) : undefined;
}

function engineExport(name: string): unknown {
  return (engine as unknown as Record<string, unknown>)[name];
}

/** Rebuilds a model from its (normalised) serialized config. */
export function buildModel(config: SerializedObject, options: BuildOptions): ModelLike {
  const major = kerasMajor(options.kerasVersion);
  const keras2HardSigmoid = (layers.activations as unknown as Record<string, unknown>)
    .hardSigmoidV2;
  const opts: Record<string, unknown> = {
    customObjects: {
      ...(keras2HardSigmoid !== undefined ? { [KERAS2_HARD_SIGMOID]: keras2HardSigmoid } : {}),
      ...(options.customObjects ?? {}),
    },
    kind: 'layers',
    safeMode: options.safeMode ?? true,
    ...(major !== undefined ? { kerasVersion: major } : {}),
  };
  let model: unknown;
  try {
    // A scope, not only an option: layers resolve activations in their constructors, where the
    // options passed to fromConfig no longer reach.
    const withCustomObjects =
      registryFn<(o: unknown, fn: () => unknown) => unknown>('withCustomObjects');
    const build = () => deserializeModel(config, opts);
    model = withCustomObjects ? withCustomObjects(opts.customObjects, build) : build();
  } catch (err) {
    throw new Error(`Cannot rebuild the model of "${options.source}": ${(err as Error).message}`);
  }
  if (!isModel(model)) {
    throw new Error(
      `Cannot rebuild the model of "${options.source}": class "${config.class_name}" did not produce a model ` +
        `(with layers and getLayer). Received: ${model === null ? 'null' : typeof model}`,
    );
  }
  buildFromConfig(model, config, options.source);
  return model;
}

function deserializeModel(config: SerializedObject, opts: Record<string, unknown>): unknown {
  const deserialize = registryFn<Deserialize>('deserializeKerasObject');
  const Model = engineExport('Model') as
    | { fromConfig?: (c: Json, o: unknown) => unknown }
    | undefined;
  const Sequential = engineExport('Sequential') as typeof Model;
  const inner = config.config;
  if (config.class_name === 'Sequential' && typeof Sequential?.fromConfig === 'function') {
    return Sequential.fromConfig(inner, opts);
  }
  if (
    (config.class_name === 'Functional' || config.class_name === 'Model') &&
    typeof Model?.fromConfig === 'function'
  ) {
    return Model.fromConfig(inner, opts);
  }
  if (deserialize === undefined) {
    throw new Error('@keras-ts/layers does not export deserializeKerasObject (the registry seam).');
  }
  // Custom subclassed models and anything registered by the user.
  return deserialize(config, opts);
}

function isModel(v: unknown): v is ModelLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as { layers?: unknown }).layers) &&
    typeof (v as { getLayer?: unknown }).getLayer === 'function'
  );
}

/** Keras's `build_from_config`: subclassed models are built from the stored input shape. */
function buildFromConfig(model: ModelLike, config: SerializedObject, source: string): void {
  const m = model as unknown as { built?: boolean; build?: (shape: unknown) => void };
  const buildConfig = config.build_config;
  if (m.built || typeof m.build !== 'function' || !isObject(buildConfig)) return;
  const shape = buildConfig.input_shape;
  if (shape === undefined || shape === null) return;
  try {
    m.build(shape);
    const apply = (model as unknown as { apply?: (x: unknown) => unknown }).apply;
    if (model.weights.length === 0 && typeof apply === 'function' && Array.isArray(shape)) {
      // A subclassed model creates its variables when first called, as Keras's build does.
      const concrete = shape.map((d) => (typeof d === 'number' ? d : 1));
      tf.tidy(() => {
        apply.call(model, tf.zeros(concrete));
      });
    }
  } catch (err) {
    throw new Error(
      `Cannot build the model of "${source}" from build_config ${JSON.stringify(buildConfig)}: ${(err as Error).message}`,
    );
  }
}

/** The model's config as Keras 3 serializes it (`module`, `class_name`, `config`, ...). */
export function serializeModel(model: ModelLike): SerializedObject {
  const serialize = registryFn<(o: unknown) => unknown>('serializeKerasObject');
  let out: unknown;
  if (serialize !== undefined) {
    try {
      out = serialize(model);
    } catch {
      out = undefined;
    }
  }
  if (!isObject(out) || typeof out.class_name !== 'string') {
    const toJSON = (model as { toJSON?: () => unknown }).toJSON;
    const fromJson = typeof toJSON === 'function' ? toJSON.call(model) : undefined;
    out = typeof fromJson === 'string' ? JSON.parse(fromJson) : fromJson;
  }
  if (!isObject(out) || typeof out.class_name !== 'string') {
    out = {
      module: 'keras',
      class_name: kerasClassName(model),
      config: (model.getConfig?.() ?? {}) as Json,
      registered_name: null,
    };
  }
  return out as SerializedObject;
}

/** Keras 3's `compile_config` of a compiled model (JSON only), or null. */
export function compileConfigOf(model: ModelLike): JsonObject | null {
  const m = model as unknown as { getCompileConfig?: () => Record<string, unknown> | null };
  const args = typeof m.getCompileConfig === 'function' ? m.getCompileConfig() : null;
  if (args === null || args === undefined || !model.optimizer) return null;
  const optimizers = engineExport('optimizers') as { serialize?: (o: unknown) => Json } | undefined;
  const optimizer =
    typeof optimizers?.serialize === 'function'
      ? optimizers.serialize(model.optimizer)
      : {
          class_name: kerasClassName(model.optimizer),
          config: (model.optimizer.getConfig?.() ?? {}) as Json,
        };
  return {
    optimizer,
    loss: toJsonValue(args.loss),
    loss_weights: toJsonValue(args.lossWeights),
    metrics: toJsonValue(args.metrics),
    weighted_metrics: toJsonValue(args.weightedMetrics),
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/** Strings, numbers and containers as they are; objects by their Keras serialization. */
function toJsonValue(v: unknown): Json {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (typeof v === 'function') {
    const name = (v as { kerasName?: string }).kerasName ?? v.name;
    return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.getConfig === 'function') {
      return {
        module: null,
        class_name: kerasClassName(o),
        config: o.getConfig() as Json,
        registered_name: null,
      };
    }
    const out: JsonObject = {};
    for (const [k, val] of Object.entries(o)) out[k] = toJsonValue(val);
    return out;
  }
  return null;
}

/**
 * Compiles a loaded model from Keras 3's `compile_config` or Keras 2's `training_config`.
 * Like Keras, a config that cannot be restored leaves the model uncompiled with a warning.
 */
export function compileFromConfig(
  model: ModelLike,
  config: Json,
  options: { source: string; warn?: (m: string) => void },
): void {
  const warn = options.warn ?? ((m: string) => console.warn(m));
  if (!isObject(config) || Object.keys(config).length === 0) return;
  const compile = (model as unknown as { compile?: (a: Record<string, unknown>) => void }).compile;
  if (typeof compile !== 'function') return;
  let optimizer = config.optimizer ?? config.optimizer_config ?? null;
  if (isObject(optimizer) && isObject(optimizer.config)) {
    const inner: JsonObject = { ...optimizer.config };
    // Keras 2 spellings.
    if ('lr' in inner && !('learning_rate' in inner)) inner.learning_rate = inner.lr ?? null;
    delete inner.lr;
    if (inner.decay === 0 || inner.decay === 0.0) delete inner.decay;
    optimizer = { ...optimizer, config: inner };
  }
  const args: Record<string, unknown> = { optimizer, loss: config.loss };
  if (config.loss_weights !== undefined && config.loss_weights !== null)
    args.lossWeights = config.loss_weights;
  if (Array.isArray(config.metrics) || isObject(config.metrics)) args.metrics = config.metrics;
  if (Array.isArray(config.weighted_metrics) || isObject(config.weighted_metrics)) {
    args.weightedMetrics = config.weighted_metrics;
  }
  try {
    compile.call(model, args);
  } catch (err) {
    warn(
      `The model of "${options.source}" was loaded uncompiled: its compile config could not be restored (${(err as Error).message}).`,
    );
  }
}
