import type { Model } from '@keras-ts/engine';
import { normalizeModelConfig } from '../config/dialect.js';
import { isObject, type Json, parseJson } from '../config/json-types.js';
import { buildModel, compileFromConfig } from '../model/engine-bridge.js';
import type { ModelLike } from '../model/types.js';
import { loadTfjsWeights } from '../tfjs/tfjs-model.js';
import { loadKeras3Weights } from '../weights/keras3-weights.js';
import { loadLegacyOptimizerWeights, loadLegacyWeights } from '../weights/legacy-h5.js';
import { assertNoLambdaInSafeMode } from './lambda-guard.js';
import { type ParsedModelFile, parseModelFile, readBytes } from './model-file.js';

export interface LoadModelOptions {
  /** Classes and functions by name, for custom layers, losses, activations. */
  customObjects?: Record<string, unknown>;
  /** Restore the compile state (optimizer, loss, metrics) saved with the model. Default true. */
  compile?: boolean;
  /** Refuse Lambda layers (default true). With false, only registered functions are used. */
  safeMode?: boolean;
  warn?: (message: string) => void;
}

/**
 * `keras.saving.load_model`: `.keras` archives (Keras 3 and tf.keras 2.13-2.15), legacy HDF5
 * full-model files and TF.js `model.json`, detected by their bytes. The model is built and all
 * its weights are checked before any is assigned; a bad file never yields a half-built model.
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  const parsed = await parseModelFile(readBytes(path), path);
  // The builder only ever makes engine models; the structural type keeps its internals small.
  return modelFromParsed(parsed, options) as unknown as Model;
}

export function modelFromParsed(
  parsed: ParsedModelFile,
  options: LoadModelOptions = {},
): ModelLike {
  const safeMode = options.safeMode ?? true;
  assertNoLambdaInSafeMode(parsed.config, { safeMode, source: parsed.source });
  const model = buildModel(parsed.config, {
    source: parsed.source,
    safeMode,
    ...(options.customObjects ? { customObjects: options.customObjects } : {}),
    ...(parsed.kerasVersion !== undefined ? { kerasVersion: parsed.kerasVersion } : {}),
  });
  const compile = options.compile ?? true;
  const warn = options.warn;
  const trainingConfig = parsed.format === 'keras' ? parsed.compileConfig : parsed.trainingConfig;
  // Compile first: loading then restores the optimizer state into the compiled optimizer.
  if (compile && trainingConfig !== undefined) {
    compileFromConfig(model, trainingConfig, { source: parsed.source, ...(warn ? { warn } : {}) });
  }
  if (parsed.format === 'keras') {
    loadKeras3Weights(model, parsed.weights, { source: parsed.source, ...(warn ? { warn } : {}) });
  } else if (parsed.format === 'legacy-h5') {
    loadLegacyWeights(model, parsed.weights, { source: parsed.source, ...(warn ? { warn } : {}) });
    if (compile && model.optimizer) {
      loadLegacyOptimizerWeights(model, parsed.weights, {
        source: parsed.source,
        ...(warn ? { warn } : {}),
      });
    }
  } else {
    loadTfjsWeights(model, parsed.weights, { source: parsed.source });
  }
  return model;
}

export interface ModelFromJSONOptions {
  customObjects?: Record<string, unknown>;
  safeMode?: boolean;
}

/**
 * `keras.models.model_from_json`: a model (fresh weights) from its JSON config, in the Keras 3
 * or Keras 2 dialect; also accepts a TF.js model.json's topology.
 */
export function modelFromJSON(json: string | Json, options: ModelFromJSONOptions = {}): Model {
  const value = typeof json === 'string' ? parseJson(json, 'The model JSON') : json;
  let config: Json = value;
  let kerasVersion: string | undefined;
  if (isObject(value) && isObject(value.modelTopology)) {
    const topology = value.modelTopology;
    config = isObject(topology.model_config) ? topology.model_config : topology;
    if (typeof topology.keras_version === 'string') kerasVersion = topology.keras_version;
  } else if (isObject(value) && typeof value.keras_version === 'string') {
    kerasVersion = value.keras_version;
  }
  const normalized = normalizeModelConfig(config, {
    source: 'modelFromJSON',
    ...(kerasVersion ? { kerasVersion } : {}),
  });
  const safeMode = options.safeMode ?? true;
  assertNoLambdaInSafeMode(normalized, { safeMode, source: 'modelFromJSON' });
  return buildModel(normalized, {
    source: 'modelFromJSON',
    safeMode,
    ...(options.customObjects ? { customObjects: options.customObjects } : {}),
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
  }) as unknown as Model;
}
