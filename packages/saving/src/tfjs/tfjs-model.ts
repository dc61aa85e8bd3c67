import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { hostRead } from '@keras-ts/backend';
import { toKeras2Config } from '../config/dialect.js';
import { isObject, type Json, type JsonObject } from '../config/json-types.js';
import { isLayerLike, type ModelLike, type VariableLike } from '../model/types.js';
import { applyAssigns, checkAssign, type PendingAssign } from '../model/variable-io.js';
import {
  type DecodedWeight,
  decodeWeights,
  encodeWeights,
  type ManifestGroup,
} from './weights-codec.js';

export interface TfjsModelFile {
  modelConfig: Json;
  kerasVersion?: string;
  trainingConfig?: Json;
  weights: DecodedWeight[];
}

/**
 * Reads a TF.js `model.json` and its weight shards. Both flavours: the converter's
 * (`modelTopology.model_config`) and tfjs-layers' (`modelTopology` is the model config).
 * Shard paths must stay inside the model's directory.
 */
export function readTfjsModel(
  json: Json,
  options: { source: string; readShard?: (path: string) => Uint8Array },
): TfjsModelFile {
  const { source } = options;
  if (!isObject(json) || !isObject(json.modelTopology)) {
    throw new Error(
      `Cannot read TF.js model "${source}": expected a JSON object with "modelTopology".`,
    );
  }
  const topology = json.modelTopology;
  const modelConfig = isObject(topology.model_config) ? topology.model_config : topology;
  const kerasVersion =
    typeof topology.keras_version === 'string' ? topology.keras_version : undefined;
  const trainingConfig = json.trainingConfig ?? topology.training_config ?? undefined;
  const manifest = (json.weightsManifest ?? []) as unknown as ManifestGroup[];
  if (!Array.isArray(manifest)) {
    throw new Error(
      `Cannot read TF.js model "${source}": "weightsManifest" must be a list of groups.`,
    );
  }
  const baseDir = dirname(resolve(source));
  const readShard =
    options.readShard ??
    ((p: string) => {
      const full = resolve(baseDir, p);
      const rel = relative(baseDir, full);
      if (rel.startsWith('..') || isAbsolute(rel) || isAbsolute(p)) {
        throw new Error(
          `Cannot read TF.js model "${source}": weight path "${p}" leaves the model's directory.`,
        );
      }
      try {
        return readFileSync(full);
      } catch (err) {
        throw new Error(
          `Cannot read TF.js model "${source}": weight file "${p}" (${(err as Error).message}).`,
        );
      }
    });
  const weights: DecodedWeight[] = [];
  for (const group of manifest) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new Error(
        `Cannot read TF.js model "${source}": each weightsManifest group needs "paths" and "weights".`,
      );
    }
    const parts = group.paths.map((p) => readShard(p));
    const buffer = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      buffer.set(p, offset);
      offset += p.length;
    }
    weights.push(...decodeWeights(buffer, group.weights, source));
  }
  return {
    modelConfig,
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
    ...(trainingConfig !== undefined ? { trainingConfig } : {}),
    weights,
  };
}

/**
 * The names the writer gives a model's variables: each variable's path, made unique with `_1`,
 * `_2` (a Bidirectional's two cells share paths). The reader computes the same list, so a model
 * reloads from its own files by exact name.
 */
export function tfjsWeightNames(model: ModelLike): [VariableLike, string, string][] {
  const used = new Set<string>();
  const out: [VariableLike, string, string][] = [];
  for (const layer of model.layers.filter(isLayerLike)) {
    for (const v of layer.weights) {
      let name = v.path ?? `${layer.name}/${v.name}`;
      const base = name;
      for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
      used.add(name);
      out.push([v, name, layer.name]);
    }
  }
  return out;
}

function dropCellScope(name: string): string {
  // tf.keras 2.2+ puts RNN weights under the cell (`lstm/lstm_cell/kernel`); tfjs-layers does not.
  const parts = name.split('/');
  return parts.length >= 3 ? [...parts.slice(0, -2), parts[parts.length - 1]].join('/') : name;
}

function variableKeys(v: VariableLike, layerName: string): string[] {
  const path = v.path ?? `${layerName}/${v.name}`;
  return [path, dropCellScope(path), `${layerName}/${v.name}`];
}

/**
 * Assigns TF.js weights to a model by name, as tfjs-layers does (`originalName`, then without
 * the RNN cell scope), also accepting names prefixed by the model name (Keras 3 conversions).
 * Optimizer weights (`group: "optimizer"`) are ignored here.
 */
export function loadTfjsWeights(
  model: ModelLike,
  weights: DecodedWeight[],
  options: { source: string },
): void {
  const { source } = options;
  const available = new Map<string, DecodedWeight>();
  for (const w of weights) {
    if (w.group === 'optimizer') continue;
    const keys = [w.name, dropCellScope(w.name)];
    if (w.name.startsWith(`${model.name}/`)) keys.push(w.name.slice(model.name.length + 1));
    for (const k of keys) if (!available.has(k)) available.set(k, w);
  }
  const pending: PendingAssign[] = [];
  const missing: string[] = [];
  const used = new Set<DecodedWeight>();
  const exact = new Map(weights.filter((w) => w.group !== 'optimizer').map((w) => [w.name, w]));
  for (const [v, uniqueName, layerName] of tfjsWeightNames(model)) {
    const candidates = [
      exact.get(uniqueName),
      ...variableKeys(v, layerName).map((k) => available.get(k)),
    ];
    const found = candidates.find((w) => w !== undefined && !used.has(w));
    if (found === undefined) {
      missing.push(uniqueName);
      continue;
    }
    used.add(found);
    pending.push(checkAssign(v, found, `weight "${found.name}" of "${source}"`));
  }
  if (missing.length > 0) {
    const names = weights.filter((w) => !used.has(w) && w.group !== 'optimizer').map((w) => w.name);
    throw new Error(
      `Cannot load TF.js weights from "${source}": no stored weight for ${missing.join(', ')}. ` +
        `Unused stored weights: ${names.join(', ') || '(none)'}`,
    );
  }
  applyAssigns(pending);
}

export interface TfjsArtifacts {
  modelJson: JsonObject;
  weightsBin: Uint8Array;
}

/**
 * The tfjs-layers flavour of a model: `modelTopology` is the model config in the Keras 2
 * dialect tfjs-layers reads; one `weights.bin` holds every weight, named by variable path.
 */
export function tfjsLayersArtifacts(
  model: ModelLike,
  modelConfig: Json,
  options: { generatedBy: string; kerasVersion: string; weightsFile?: string },
): TfjsArtifacts {
  const entries: { name: string; shape: number[]; dtype: string; data: ArrayLike<number> }[] = [];
  for (const [v, name] of tfjsWeightNames(model)) {
    const dtype =
      v.value.dtype === 'int32' ? 'int32' : v.value.dtype === 'bool' ? 'bool' : 'float32';
    entries.push({
      name,
      shape: [...v.value.shape],
      dtype,
      data: hostRead(v.value) as ArrayLike<number>,
    });
  }
  const topology = toKeras2Config(modelConfig);
  const modelTopology: JsonObject = isObject(topology) ? { ...topology } : { config: topology };
  modelTopology.keras_version = options.kerasVersion;
  modelTopology.backend = 'tensor_flow.js';
  return {
    modelJson: {
      modelTopology,
      format: 'layers-model',
      generatedBy: options.generatedBy,
      convertedBy: null,
      weightsManifest: [
        {
          paths: [options.weightsFile ?? 'weights.bin'],
          weights: entries.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
        },
      ],
    },
    weightsBin: encodeWeights(entries),
  };
}
