import { basename, dirname, extname, join } from 'node:path';
import { writeH5 } from '../h5/h5-write.js';
import { newGroup } from '../h5/tree.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { writeZip } from '../io/zip.js';
import { compileConfigOf, serializeModel } from '../model/engine-bridge.js';
import { isModelLike, type ModelLike } from '../model/types.js';
import { withHostValues } from '../model/variable-io.js';
import { tfjsLayersArtifacts } from '../tfjs/tfjs-model.js';
import { keras3WeightsTree } from '../weights/keras3-weights.js';
import { writeLegacyOptimizerGroup, writeLegacyWeightsGroup } from '../weights/legacy-h5.js';
import { KERAS_FORMAT_VERSION, KERAS_TS_VERSION } from './versions.js';

export interface SaveModelOptions {
  /** Save the optimizer state too (default true), so training resumes where it stopped. */
  includeOptimizer?: boolean;
}

export type SaveFormat = 'keras' | 'h5' | 'tfjs';

/** The format to write, from the file name: `.keras`, `.h5` / `.hdf5`, or `*.json` (TF.js). */
export function saveFormatOf(path: string): SaveFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.keras') return 'keras';
  if (ext === '.h5' || ext === '.hdf5') return 'h5';
  if (ext === '.json') return 'tfjs';
  throw new Error(
    `Cannot tell which format to save "${path}" in: expected a name ending in ".keras" (Keras 3 archive), ` +
      `".h5" / ".hdf5" (legacy HDF5) or ".json" (TF.js model.json + weights.bin). Received: "${ext || basename(path)}"`,
  );
}

function assertModel(model: unknown, what: string): asserts model is ModelLike {
  if (!isModelLike(model)) {
    throw new Error(
      `${what} expects a keras-ts Model (with layers and weights). Received: ${typeof model}`,
    );
  }
}

function dateSaved(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `.keras` bytes: STORED zip of metadata.json, config.json, model.weights.h5, in that order. */
export async function kerasArchiveBytes(
  model: ModelLike,
  options: SaveModelOptions = {},
): Promise<Uint8Array> {
  const config = { ...serializeModel(model) };
  const compileConfig = compileConfigOf(model);
  if (compileConfig !== null) config.compile_config = compileConfig;
  const encoder = new TextEncoder();
  const metadata = {
    keras_version: KERAS_FORMAT_VERSION,
    date_saved: dateSaved(),
    keras_ts_version: KERAS_TS_VERSION,
  };
  const weights = await writeH5(
    keras3WeightsTree(model, { includeOptimizer: options.includeOptimizer ?? true }),
  );
  return writeZip([
    ['metadata.json', encoder.encode(JSON.stringify(metadata))],
    ['config.json', encoder.encode(JSON.stringify(config))],
    ['model.weights.h5', weights],
  ]);
}

/** Legacy full-model HDF5 bytes (`model_config`, `model_weights`, `optimizer_weights`). */
export async function legacyH5Bytes(
  model: ModelLike,
  options: SaveModelOptions = {},
): Promise<Uint8Array> {
  const root = newGroup();
  const str = (value: string) => ({ kind: 'vlen-str' as const, value, shape: [] });
  root.attrs.set('keras_version', str(KERAS_FORMAT_VERSION));
  root.attrs.set('backend', str('tensorflow'));
  const config = serializeModel(model);
  root.attrs.set(
    'model_config',
    str(JSON.stringify({ class_name: config.class_name, config: config.config })),
  );
  const compileConfig = compileConfigOf(model);
  if (compileConfig !== null) {
    const { optimizer, ...rest } = compileConfig;
    root.attrs.set(
      'training_config',
      str(JSON.stringify({ ...rest, optimizer_config: optimizer })),
    );
  }
  const weights = newGroup();
  root.children.set('model_weights', weights);
  writeLegacyWeightsGroup(weights, model, { kerasVersion: KERAS_FORMAT_VERSION });
  if (
    (options.includeOptimizer ?? true) &&
    model.optimizer &&
    model.optimizer.variables.length > 0
  ) {
    writeLegacyOptimizerGroup(root, model.optimizer);
  }
  return writeH5(root);
}

/** `model.save(path)`: the format follows the file name; the write is atomic. */
export async function saveModel(
  model: unknown,
  path: string,
  options: SaveModelOptions = {},
): Promise<void> {
  assertModel(model, 'saveModel');
  const format = saveFormatOf(path);
  await withHostValues(model, async () => {
    if (format === 'keras') {
      writeFileAtomic(path, await kerasArchiveBytes(model, options));
    } else if (format === 'h5') {
      writeFileAtomic(path, await legacyH5Bytes(model, options));
    } else {
      const weightsFile = `${basename(path, extname(path))}.weights.bin`;
      const { modelJson, weightsBin } = tfjsLayersArtifacts(model, serializeModel(model), {
        generatedBy: `keras-ts v${KERAS_TS_VERSION}`,
        kerasVersion: `keras-ts ${KERAS_TS_VERSION} (Keras ${KERAS_FORMAT_VERSION} semantics)`,
        weightsFile,
      });
      // Weights first: a model.json never points at a weights file that is not there yet.
      writeFileAtomic(join(dirname(path), weightsFile), weightsBin);
      writeFileAtomic(path, new TextEncoder().encode(JSON.stringify(modelJson)));
    }
  });
}
