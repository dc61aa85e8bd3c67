import { kerasMajor } from '../config/dialect.js';
import {
  attrString,
  attrStringList,
  ensureGroup,
  getGroup,
  getNode,
  type H5Attr,
  type H5Group,
  newGroup,
  setDataset,
} from '../h5/tree.js';
import {
  isLayerLike,
  kerasClassName,
  type LayerLike,
  type ModelLike,
  type OptimizerLike,
  type VariableLike,
} from '../model/types.js';
import {
  applyAssigns,
  checkAssign,
  type PendingAssign,
  variableToDataset,
} from '../model/variable-io.js';

/** h5py/Keras split list attributes that would overflow an HDF5 object header (64 KiB). */
export const HDF5_OBJECT_HEADER_LIMIT = 64512;

/** Keras's `_legacy_weights`: trainable weights, then non-trainable ones. */
export function legacyWeights(layer: LayerLike): VariableLike[] {
  if (layer.trainableWeights !== undefined && layer.nonTrainableWeights !== undefined) {
    return [...layer.trainableWeights, ...layer.nonTrainableWeights];
  }
  return [...layer.weights];
}

/**
 * Stores a list of names like `save_attributes_to_hdf5_group`: one attribute when it fits,
 * otherwise numpy-style `array_split` chunks `name0`, `name1`, ... of fixed-length strings.
 * Keras writes an empty list as an empty float64 array.
 */
export function setNameListAttr(group: H5Group, name: string, values: string[]): void {
  if (values.length === 0) {
    group.attrs.set(name, { kind: 'float64', value: [], shape: [0] });
    return;
  }
  const width = Math.max(...values.map((v) => Buffer.byteLength(v, 'utf8')));
  if (values.length * width <= HDF5_OBJECT_HEADER_LIMIT) {
    group.attrs.set(name, { kind: 'vlen-str', value: values, shape: [values.length] });
    return;
  }
  let chunks = Math.ceil((values.length * width) / HDF5_OBJECT_HEADER_LIMIT);
  let parts = arraySplit(values, chunks);
  const nbytes = (p: string[]) =>
    p.length * Math.max(1, ...p.map((v) => Buffer.byteLength(v, 'utf8')));
  while (parts.some((p) => nbytes(p) > HDF5_OBJECT_HEADER_LIMIT)) {
    chunks += 1;
    parts = arraySplit(values, chunks);
  }
  parts.forEach((part, i) => {
    const attr: H5Attr = { kind: 'fixed-str', value: part, shape: [part.length] };
    group.attrs.set(`${name}${i}`, attr);
  });
}

function arraySplit<T>(values: T[], n: number): T[][] {
  // numpy.array_split: the first (len % n) parts get one extra element.
  const base = Math.floor(values.length / n);
  const extra = values.length % n;
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = base + (i < extra ? 1 : 0);
    out.push(values.slice(start, start + size));
    start += size;
  }
  return out;
}

function uniqueWeightNames(vars: VariableLike[], prefix: string): string[] {
  const used = new Set<string>();
  return vars.map((v) => {
    let name = v.path?.includes('/') ? v.path : `${prefix}/${v.path ?? v.name}`;
    const base = name;
    for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  });
}

export interface LegacyWriteOptions {
  kerasVersion: string;
  backend?: string;
}

/** `save_weights_to_hdf5_group`: layer groups named after layers, `layer_names`, `weight_names`. */
export function writeLegacyWeightsGroup(
  group: H5Group,
  model: ModelLike,
  options: LegacyWriteOptions,
): void {
  const layers = model.layers.filter(isLayerLike);
  setNameListAttr(
    group,
    'layer_names',
    layers.map((l) => l.name),
  );
  group.attrs.set('backend', {
    kind: 'vlen-str',
    value: options.backend ?? 'tensorflow',
    shape: [],
  });
  group.attrs.set('keras_version', { kind: 'vlen-str', value: options.kerasVersion, shape: [] });
  // Keras creates the layer groups sorted by name so that no name is a prefix problem for HDF5.
  for (const layer of [...layers].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const g = ensureGroup(group, layer.name);
    const vars = legacyWeights(layer);
    const names = uniqueWeightNames(vars, layer.name);
    setNameListAttr(g, 'weight_names', names);
    vars.forEach((v, i) => {
      setDataset(g, names[i] as string, variableToDataset(v));
    });
  }
  const top = ensureGroup(group, 'top_level_model_weights');
  setNameListAttr(top, 'weight_names', []);
}

/** `optimizer_weights`: the optimizer's variables under their names. */
export function writeLegacyOptimizerGroup(root: H5Group, optimizer: OptimizerLike): void {
  const group = ensureGroup(root, 'optimizer_weights');
  const prefix = optimizer.name ?? 'optimizer';
  const vars = [...optimizer.variables];
  const names = uniqueWeightNames(vars, prefix);
  setNameListAttr(group, 'weight_names', names);
  vars.forEach((v, i) => {
    setDataset(group, names[i] as string, variableToDataset(v));
  });
}

/** A weights-only legacy file (`model.save_weights('w.h5')` in Keras 2). */
export function legacyWeightsTree(model: ModelLike, options: LegacyWriteOptions): H5Group {
  const root = newGroup();
  writeLegacyWeightsGroup(root, model, options);
  return root;
}

export interface LegacyLoadOptions {
  source: string;
  byName?: boolean;
  skipMismatch?: boolean;
  warn?: (message: string) => void;
}

interface SavedLayer {
  name: string;
  weights: { name: string; shape: number[]; data: import('../h5/tree.js').H5Data }[];
}

/** The saved layers of a legacy file (full model or weights only), in `layer_names` order. */
export function readLegacyLayers(
  root: H5Group,
  source: string,
): { layers: SavedLayer[]; kerasVersion?: string; backend?: string } {
  const group = getGroup(root, 'model_weights') ?? root;
  const names = attrStringList(group, 'layer_names');
  if (names === undefined) {
    throw new Error(
      `Cannot read weights from "${source}": no "layer_names" attribute (not a Keras HDF5 weights file).`,
    );
  }
  const layers = names.map((name) => {
    const g = getGroup(group, name);
    if (g === undefined)
      throw new Error(`Cannot read weights from "${source}": layer group "${name}" is missing.`);
    const weightNames = attrStringList(g, 'weight_names') ?? [];
    return {
      name,
      weights: weightNames.map((wn) => {
        const node = getNode(g, wn);
        if (node?.type !== 'dataset') {
          throw new Error(
            `Cannot read weights from "${source}": dataset "${name}/${wn}" is missing.`,
          );
        }
        return { name: wn, shape: node.shape, data: node.data };
      }),
    };
  });
  return {
    layers,
    kerasVersion: attrString(group, 'keras_version') ?? attrString(root, 'keras_version'),
    backend: attrString(group, 'backend') ?? attrString(root, 'backend'),
  };
}

const CONV_CLASSES = new Set(['Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose']);

/**
 * Loads legacy HDF5 weights: by order (layers that have weights, zipped with saved layers that
 * have weight names) or, with `byName`, by layer name. Keras 1 files are refused (their
 * per-gate weights need a different model format); Theano convolution kernels are flipped.
 */
export function loadLegacyWeights(
  model: ModelLike,
  root: H5Group,
  options: LegacyLoadOptions,
): void {
  const { source } = options;
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const saved = readLegacyLayers(root, source);
  if (kerasMajor(saved.kerasVersion) === 1) {
    throw new Error(
      `Cannot load weights from "${source}": it was written by Keras ${saved.kerasVersion}. ` +
        'Keras 1 weight layouts are not supported; re-save the model with Keras 2 or 3.',
    );
  }
  const theano = saved.backend === 'theano';
  const pending: PendingAssign[] = [];
  const targetLayers = model.layers.filter(isLayerLike);
  if (options.byName) {
    for (const s of saved.layers) {
      const layer = targetLayers.find((l) => l.name === s.name);
      if (layer === undefined) continue;
      const vars = legacyWeights(layer);
      if (vars.length !== s.weights.length) {
        const msg = `Layer "${s.name}" expects ${vars.length} weights. Received: ${s.weights.length} weights in "${source}"`;
        if (options.skipMismatch) {
          warn(
            `Skipping loading of weights for layer "${s.name}" due to mismatch in number of weights. ${msg}`,
          );
          continue;
        }
        throw new Error(`Cannot load weights by name: ${msg}.`);
      }
      const checked = tryCheck(
        layer,
        vars,
        s,
        theano,
        source,
        options.skipMismatch ? warn : undefined,
      );
      if (checked !== undefined) pending.push(...checked);
    }
  } else {
    const withWeights = targetLayers.filter((l) => legacyWeights(l).length > 0);
    const savedWithWeights = saved.layers.filter((s) => s.weights.length > 0);
    if (withWeights.length !== savedWithWeights.length) {
      throw new Error(
        `Cannot load weights from "${source}": layer count mismatch. The model has ${withWeights.length} layers with ` +
          `weights (${withWeights.map((l) => l.name).join(', ')}). Received: ${savedWithWeights.length} saved layers ` +
          `with weights (${savedWithWeights.map((s) => s.name).join(', ')}). Pass byName: true to match layers by name.`,
      );
    }
    withWeights.forEach((layer, i) => {
      const s = savedWithWeights[i] as SavedLayer;
      const vars = legacyWeights(layer);
      if (vars.length !== s.weights.length) {
        throw new Error(
          `Cannot load weights from "${source}": layer #${i} ("${layer.name}", ${kerasClassName(layer)}) expects ` +
            `${vars.length} weights. Received: ${s.weights.length} weights from saved layer "${s.name}"`,
        );
      }
      const checked = tryCheck(
        layer,
        vars,
        s,
        theano,
        source,
        options.skipMismatch ? warn : undefined,
      );
      if (checked !== undefined) pending.push(...checked);
    });
  }
  applyAssigns(pending);
}

function tryCheck(
  layer: LayerLike,
  vars: VariableLike[],
  saved: SavedLayer,
  theano: boolean,
  source: string,
  warnAndSkip: ((m: string) => void) | undefined,
): PendingAssign[] | undefined {
  try {
    return vars.map((v, k) => {
      const w = saved.weights[k] as SavedLayer['weights'][number];
      const data =
        theano && CONV_CLASSES.has(kerasClassName(layer)) && k === 0
          ? flipSpatial(w.data, w.shape)
          : w.data;
      return checkAssign(v, { shape: w.shape, data }, `"${saved.name}/${w.name}" of "${source}"`);
    });
  } catch (err) {
    if (warnAndSkip === undefined) throw err;
    warnAndSkip(`Skipping loading weights for layer "${layer.name}": ${(err as Error).message}`);
    return undefined;
  }
}

/** Theano stores convolution kernels flipped along every spatial axis (the last two are in/out). */
export function flipSpatial<T extends ArrayLike<number>>(data: T, shape: number[]): T {
  const spatial = shape.length - 2;
  const out = new (data.constructor as new (n: number) => T & { [i: number]: number })(data.length);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let idx = 0; idx < data.length; idx++) {
    let src = 0;
    let rem = idx;
    for (let d = 0; d < shape.length; d++) {
      const stride = strides[d] as number;
      const coord = Math.floor(rem / stride);
      rem -= coord * stride;
      const c = d < spatial ? (shape[d] as number) - 1 - coord : coord;
      src += c * stride;
    }
    out[idx] = data[src] as number;
  }
  return out;
}

/**
 * Restores `optimizer_weights` (Keras's `load_optimizer_weights_from_hdf5_group`): the
 * optimizer is built on the model's trainable weights, then its variables are assigned in
 * order. A count that does not match leaves the optimizer fresh, with a warning, as Keras does.
 */
export function loadLegacyOptimizerWeights(
  model: ModelLike,
  root: H5Group,
  options: { source: string; warn?: (message: string) => void },
): void {
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const group = getGroup(root, 'optimizer_weights');
  const optimizer = model.optimizer;
  if (group === undefined || !optimizer) return;
  const names = attrStringList(group, 'weight_names') ?? [];
  const stored = names.map((n) => {
    const node = getNode(group, n);
    if (node?.type !== 'dataset') {
      throw new Error(
        `Cannot read optimizer weights from "${options.source}": dataset "${n}" is missing.`,
      );
    }
    return { name: n, shape: node.shape, data: node.data };
  });
  if (stored.length > optimizer.variables.length && typeof optimizer.build === 'function') {
    optimizer.build([...(model.trainableWeights ?? model.weights)]);
  }
  const vars = optimizer.variables;
  if (vars.length !== stored.length) {
    warn(
      `Skipping optimizer state from "${options.source}": the optimizer has ${vars.length} variables. ` +
        `Received: ${stored.length} in optimizer_weights.`,
    );
    return;
  }
  applyAssigns(
    vars.map((v, i) =>
      checkAssign(
        v,
        stored[i] as SavedLayer['weights'][number],
        `optimizer weight "${stored[i]?.name}" of "${options.source}"`,
      ),
    ),
  );
}
