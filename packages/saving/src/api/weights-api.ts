import { readH5 } from '../h5/h5-read.js';
import { writeH5 } from '../h5/h5-write.js';
import { getGroup, type H5Group } from '../h5/tree.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sniffFormat } from '../io/sniff.js';
import { readZip } from '../io/zip.js';
import { isModelLike, type ModelLike } from '../model/types.js';
import { withHostValues } from '../model/variable-io.js';
import { loadTfjsWeights } from '../tfjs/tfjs-model.js';
import { keras3WeightsTree, loadKeras3Weights } from '../weights/keras3-weights.js';
import { legacyWeightsTree, loadLegacyWeights } from '../weights/legacy-h5.js';
import { parseTfjs, readBytes } from './model-file.js';
import { KERAS_FORMAT_VERSION } from './versions.js';

export interface SaveWeightsOptions {
  /** Keras 3 `.weights.h5` only: include the optimizer state (default true, as Keras). */
  includeOptimizer?: boolean;
}

function assertModel(model: unknown, what: string): asserts model is ModelLike {
  if (!isModelLike(model)) {
    throw new Error(
      `${what} expects a keras-ts Model (with layers and weights). Received: ${typeof model}`,
    );
  }
}

/**
 * `model.save_weights`: a name ending in `.weights.h5` gives Keras 3's format (object-graph
 * paths, optimizer state); any other `.h5` / `.hdf5` the legacy layout (`layer_names`).
 */
export async function saveWeights(
  model: unknown,
  path: string,
  options: SaveWeightsOptions = {},
): Promise<void> {
  assertModel(model, 'saveWeights');
  const lower = path.toLowerCase();
  // The format check first: a wrong name is reported before anything is read.
  const keras3 = lower.endsWith('.weights.h5');
  if (!keras3 && !(lower.endsWith('.h5') || lower.endsWith('.hdf5'))) {
    throw new Error(
      `saveWeights writes HDF5: expected a name ending in ".weights.h5" (Keras 3) or ".h5" / ".hdf5" (legacy). Received: "${path}"`,
    );
  }
  await withHostValues(model, async () => {
    const tree: H5Group = keras3
      ? keras3WeightsTree(model, { includeOptimizer: options.includeOptimizer ?? true })
      : legacyWeightsTree(model, { kerasVersion: KERAS_FORMAT_VERSION });
    writeFileAtomic(path, await writeH5(tree));
  });
}

export interface LoadWeightsOptions {
  /** Legacy HDF5 only: match layers by name instead of order. */
  byName?: boolean;
  /** Skip (with a warning) layers whose stored weights do not fit. */
  skipMismatch?: boolean;
  /** Keras 3 files: leave the optimizer state alone. */
  skipOptimizer?: boolean;
  warn?: (message: string) => void;
}

function isLegacyTree(root: H5Group): boolean {
  const holder = getGroup(root, 'model_weights') ?? root;
  return holder.attrs.has('layer_names') || holder.attrs.has('layer_names0');
}

/**
 * `model.load_weights`: a `.keras` archive, a Keras 3 `.weights.h5`, a legacy `.h5` (full model
 * or weights only) or a TF.js model.json, detected by their bytes.
 */
export async function loadWeights(
  model: unknown,
  path: string,
  options: LoadWeightsOptions = {},
): Promise<void> {
  assertModel(model, 'loadWeights');
  const bytes = readBytes(path);
  const kind = sniffFormat(bytes, path);
  const warn = options.warn;
  const common = {
    ...(warn ? { warn } : {}),
    ...(options.skipMismatch ? { skipMismatch: true } : {}),
  };
  if (kind === 'json') {
    const parsed = parseTfjs(bytes, path);
    if (parsed.format === 'tfjs') loadTfjsWeights(model, parsed.weights, { source: path });
    return;
  }
  let root: H5Group;
  let source = path;
  if (kind === 'zip') {
    const entries = readZip(bytes, { source: path });
    const inner = entries.get('model.weights.h5');
    if (inner === undefined)
      throw new Error(`Cannot load weights from "${path}": the archive has no model.weights.h5.`);
    source = `${path}!model.weights.h5`;
    root = await readH5(inner, { source });
  } else {
    root = await readH5(bytes, { source: path });
  }
  if (isLegacyTree(root)) {
    loadLegacyWeights(model, root, {
      source,
      ...common,
      ...(options.byName ? { byName: true } : {}),
    });
    return;
  }
  if (options.byName) {
    throw new Error(
      `Cannot load weights by name from "${path}": byName only applies to legacy HDF5 files (with "layer_names"); ` +
        'Keras 3 weights are matched by object-graph path.',
    );
  }
  loadKeras3Weights(model, root, {
    source,
    ...common,
    ...(options.skipOptimizer ? { skipOptimizer: true } : {}),
  });
}
