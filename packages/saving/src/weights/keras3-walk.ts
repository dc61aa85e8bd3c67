import {
  isLayerLike,
  isOptimizerLike,
  kerasClassName,
  type LayerLike,
  type ModelLike,
  type OptimizerLike,
  type VariableLike,
} from '../model/types.js';
import { attributeName, toSnakeCase } from './snake-case.js';

/** One saveable object of the Keras 3 object graph and the variables it owns itself. */
export interface SaveableEntry {
  /** Group path without the trailing `/vars` (`""` for the model itself). */
  path: string;
  /** `obj.name`, written as the `vars` group's `name` attribute (Keras >= 3.6). */
  name: string;
  vars: VariableLike[];
  obj: LayerLike | OptimizerLike;
}

type Saveable = LayerLike | OptimizerLike;

function isSaveable(v: unknown): v is Saveable {
  return isLayerLike(v) || isOptimizerLike(v);
}

/**
 * Walks a model the way Keras 3's `_save_state` does, so paths match Python's files:
 * a Sequential/Functional model's `layers` first, then its other attributes sorted by name with
 * `_private` ones last; objects already visited are skipped; a list of saveables becomes a
 * container whose members are named `snake_case(ClassName)` with per-class `_1`, `_2` suffixes
 * (never the user's layer name). Sublayers kept in properties (`cell`, `forward_layer`,
 * `query_dense`, `optimizer`) become nested paths.
 */
export function walkKeras3(
  model: ModelLike,
  options: { includeOptimizer?: boolean } = {},
): SaveableEntry[] {
  const entries: SaveableEntry[] = [];
  const visited = new Set<object>();
  visit(model, '', entries, visited, options.includeOptimizer ?? true);
  return entries;
}

function join(base: string, part: string): string {
  return base === '' ? part : `${base}/${part}`;
}

function visit(
  obj: Saveable,
  path: string,
  out: SaveableEntry[],
  visited: Set<object>,
  withOptimizer: boolean,
): void {
  if (visited.has(obj)) return;
  visited.add(obj);
  out.push({ path, name: saveableName(obj), vars: ownVariables(obj), obj });
  for (const [attr, child] of children(obj, withOptimizer)) {
    if (Array.isArray(child)) {
      visitContainer(child, join(path, attr), out, visited, withOptimizer);
    } else {
      visit(child, join(path, attr), out, visited, withOptimizer);
    }
  }
}

function visitContainer(
  items: readonly unknown[],
  path: string,
  out: SaveableEntry[],
  visited: Set<object>,
  withOptimizer: boolean,
): void {
  const used = new Map<string, number>();
  for (const item of items) {
    if (!isSaveable(item)) continue;
    // Like Keras, the counter moves even for objects visited elsewhere.
    let name = toSnakeCase(kerasClassName(item));
    const seen = used.get(name);
    if (seen === undefined) {
      used.set(name, 0);
    } else {
      used.set(name, seen + 1);
      name = `${name}_${seen + 1}`;
    }
    visit(item, join(path, name), out, visited, withOptimizer);
  }
}

function saveableName(obj: Saveable): string {
  const name = (obj as { name?: unknown }).name;
  return typeof name === 'string' ? name : toSnakeCase(kerasClassName(obj));
}

const SEQUENTIAL_LIKE = new Set(['Sequential']);

/**
 * Where a keras-ts layer keeps a sublayer under another name than Keras's attribute: the
 * attribute name decides the path in the file.
 */
const KERAS_ATTRIBUTE_NAMES: Record<string, Record<string, string>> = {
  MultiHeadAttention: {
    query: 'query_dense',
    key: 'key_dense',
    value: 'value_dense',
    attentionOutput: 'output_dense',
  },
};

/** The saveable attributes of an object, in Keras's traversal order. */
export function children(obj: Saveable, withOptimizer = true): [string, Saveable | Saveable[]][] {
  const out: [string, Saveable | Saveable[]][] = [];
  const record = obj as unknown as Record<string, unknown>;
  const isModel =
    isLayerLike(obj) && Array.isArray(record.layers) && typeof record.getLayer === 'function';
  const isLayer = isLayerLike(obj);
  if (isModel) {
    let layers = (record.layers as unknown[]).filter(isSaveable);
    if (SEQUENTIAL_LIKE.has(kerasClassName(obj))) {
      // Keras 3's Sequential.layers leaves out its InputLayer.
      layers = layers.filter((l) => kerasClassName(l) !== 'InputLayer');
    }
    out.push(['layers', layers]);
  }
  const attrs: [string, Saveable | Saveable[]][] = [];
  const aliases = KERAS_ATTRIBUTE_NAMES[kerasClassName(obj)] ?? {};
  for (const key of Object.keys(record)) {
    if (key === 'layers' && isModel) continue;
    const value = record[key];
    const attr = aliases[key] ?? attributeName(key);
    if (isSaveable(value)) {
      attrs.push([attr, value]);
    } else if (isLayer && Array.isArray(value) && value.length > 0 && value.every(isSaveable)) {
      attrs.push([attr, value as Saveable[]]);
    }
  }
  if (isModel && withOptimizer && !attrs.some(([name]) => name === 'optimizer')) {
    const opt = record.optimizer;
    if (isOptimizerLike(opt)) attrs.push(['optimizer', opt]);
  }
  if (!withOptimizer) {
    for (let i = attrs.length - 1; i >= 0; i--) {
      if (isOptimizerLike(attrs[i]?.[1])) attrs.splice(i, 1);
    }
  }
  attrs.sort((a, b) => nameKey(a[0]).localeCompare(nameKey(b[0])));
  out.push(...attrs);
  return out;
}

function nameKey(name: string): string {
  // Keras's `_name_key`: private attributes after public ones.
  return name.startsWith('_') ? `~${name}` : name;
}

/**
 * Variables an object created itself: a layer's weights minus those of its sublayers (the
 * order of `weights` is trainable then non-trainable, Keras's `save_own_variables` order).
 */
export function ownVariables(obj: Saveable): VariableLike[] {
  if (isOptimizerLike(obj) && !isLayerLike(obj)) return [...obj.variables];
  const layer = obj as LayerLike;
  const inner = new Set<unknown>();
  collectDescendantVars(layer, inner, new Set([layer]));
  return layer.weights.filter((w) => !inner.has(w.value));
}

function collectDescendantVars(obj: Saveable, into: Set<unknown>, seen: Set<object>): void {
  for (const [, child] of children(obj, false)) {
    for (const c of Array.isArray(child) ? child : [child]) {
      if (seen.has(c) || !isLayerLike(c)) continue;
      seen.add(c);
      for (const w of c.weights) into.add(w.value);
      collectDescendantVars(c, into, seen);
    }
  }
}
