import { readFileSync } from 'node:fs';
import { kerasMajor, normalizeModelConfig } from '../config/dialect.js';
import { isObject, type Json, parseJson, type SerializedObject } from '../config/json-types.js';
import { type H5ReadLimits, readH5 } from '../h5/h5-read.js';
import { attrString, getGroup, type H5Group } from '../h5/tree.js';
import { sniffFormat } from '../io/sniff.js';
import { readZip } from '../io/zip.js';
import { readTfjsModel } from '../tfjs/tfjs-model.js';
import type { DecodedWeight } from '../tfjs/weights-codec.js';

/**
 * A model file parsed into memory, before any model is built: the format, the normalised
 * config, the weights in their own layout. Parsing is where every corrupt or hostile file
 * fails, with the file and the part named.
 */
export type ParsedModelFile =
  | {
      format: 'keras';
      source: string;
      config: SerializedObject;
      compileConfig?: Json;
      kerasVersion?: string;
      weights: H5Group;
    }
  | {
      format: 'legacy-h5';
      source: string;
      config: SerializedObject;
      trainingConfig?: Json;
      kerasVersion?: string;
      weights: H5Group;
    }
  | {
      format: 'tfjs';
      source: string;
      config: SerializedObject;
      trainingConfig?: Json;
      kerasVersion?: string;
      weights: DecodedWeight[];
    };

export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read "${path}": ${(err as Error).message}`);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Error(`${what} is not valid UTF-8 text.`);
  }
}

/** Parses a `.keras` archive (zip) from bytes. */
export interface ParseOptions {
  /** Limits for the HDF5 parser (time, size, depth). */
  h5Limits?: Partial<H5ReadLimits>;
}

export async function parseKerasArchive(
  bytes: Uint8Array,
  source: string,
  options: ParseOptions = {},
): Promise<ParsedModelFile> {
  const entries = readZip(bytes, { source });
  const configBytes = entries.get('config.json');
  if (configBytes === undefined) {
    throw new Error(
      `Cannot load "${source}": the archive has no config.json (members: ${[...entries.keys()].join(', ') || 'none'}).`,
    );
  }
  const raw = parseJson(
    decode(configBytes, `config.json of "${source}"`),
    `config.json of "${source}"`,
  );
  const metaBytes = entries.get('metadata.json');
  let kerasVersion: string | undefined;
  if (metaBytes !== undefined) {
    const meta = parseJson(
      decode(metaBytes, `metadata.json of "${source}"`),
      `metadata.json of "${source}"`,
    );
    if (isObject(meta) && typeof meta.keras_version === 'string') kerasVersion = meta.keras_version;
  }
  const weightsBytes = entries.get('model.weights.h5');
  if (weightsBytes === undefined) {
    const hint = entries.has('model.weights.npz')
      ? ' (model.weights.npz archives are not supported)'
      : '';
    throw new Error(`Cannot load "${source}": the archive has no model.weights.h5${hint}.`);
  }
  const weights = await readH5(weightsBytes, {
    source: `${source}!model.weights.h5`,
    ...(options.h5Limits ? { limits: options.h5Limits } : {}),
  });
  const config = normalizeModelConfig(raw, {
    source: `config.json of "${source}"`,
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
  });
  const compileConfig = isObject(raw) ? raw.compile_config : undefined;
  return {
    format: 'keras',
    source,
    config,
    ...(compileConfig !== undefined && compileConfig !== null ? { compileConfig } : {}),
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
    weights,
  };
}

/** Parses a legacy full-model HDF5 file from bytes. */
export async function parseLegacyH5(
  bytes: Uint8Array,
  source: string,
  options: ParseOptions = {},
): Promise<ParsedModelFile> {
  const root = await readH5(bytes, {
    source,
    ...(options.h5Limits ? { limits: options.h5Limits } : {}),
  });
  const modelConfig = attrString(root, 'model_config');
  if (modelConfig === undefined) {
    const kind =
      root.attrs.has('layer_names') || root.attrs.has('layer_names0')
        ? 'a legacy weights-only file'
        : getGroup(root, 'layers') ||
            getGroup(root, 'vars') ||
            getGroup(root, '_layer_checkpoint_dependencies')
          ? 'a Keras 3 weights file (.weights.h5)'
          : 'not a Keras model file';
    throw new Error(
      `Cannot load a model from "${source}": it is ${kind}, with no "model_config" attribute. ` +
        'Build the model in code and call loadWeights(model, path) instead.',
    );
  }
  const kerasVersion = attrString(root, 'keras_version');
  if (kerasMajor(kerasVersion) === 1) {
    throw new Error(
      `Cannot load "${source}": it was written by Keras ${kerasVersion}; Keras 1 model files are not supported.`,
    );
  }
  const config = normalizeModelConfig(parseJson(modelConfig, `model_config of "${source}"`), {
    source,
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
  });
  const training = attrString(root, 'training_config');
  return {
    format: 'legacy-h5',
    source,
    config,
    ...(training !== undefined
      ? { trainingConfig: parseJson(training, `training_config of "${source}"`) }
      : {}),
    ...(kerasVersion !== undefined ? { kerasVersion } : {}),
    weights: root,
  };
}

/** Parses a TF.js model.json (its shards are read relative to it). */
export function parseTfjs(
  bytes: Uint8Array,
  source: string,
  readShard?: (p: string) => Uint8Array,
): ParsedModelFile {
  const json = parseJson(decode(bytes, `"${source}"`), `"${source}"`);
  const file = readTfjsModel(json, { source, ...(readShard ? { readShard } : {}) });
  const config = normalizeModelConfig(file.modelConfig, {
    source,
    ...(file.kerasVersion !== undefined ? { kerasVersion: file.kerasVersion } : {}),
  });
  return {
    format: 'tfjs',
    source,
    config,
    ...(file.trainingConfig !== undefined ? { trainingConfig: file.trainingConfig } : {}),
    ...(file.kerasVersion !== undefined ? { kerasVersion: file.kerasVersion } : {}),
    weights: file.weights,
  };
}

/** Reads and parses any supported model file, detected by its first bytes. */
export async function parseModelFile(
  bytes: Uint8Array,
  source: string,
  options: ParseOptions = {},
): Promise<ParsedModelFile> {
  const kind = sniffFormat(bytes, source);
  if (kind === 'zip') return parseKerasArchive(bytes, source, options);
  if (kind === 'hdf5') return parseLegacyH5(bytes, source, options);
  return parseTfjs(bytes, source);
}
