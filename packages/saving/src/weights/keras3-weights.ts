import {
  attrString,
  ensureGroup,
  getGroup,
  type H5Group,
  newGroup,
  numericChildren,
  setDataset,
} from '../h5/tree.js';
import { isOptimizerLike, type LayerLike, type ModelLike } from '../model/types.js';
import {
  applyAssigns,
  checkAssign,
  type PendingAssign,
  variableToDataset,
} from '../model/variable-io.js';
import { type SaveableEntry, walkKeras3 } from './keras3-walk.js';

/** The Keras 3 weights file (`model.weights.h5`, `.weights.h5`) of a model, as an HDF5 tree. */
export function keras3WeightsTree(
  model: ModelLike,
  options: { includeOptimizer?: boolean } = {},
): H5Group {
  const root = newGroup();
  for (const entry of walkKeras3(model, options)) {
    const varsPath = entry.path === '' ? 'vars' : `${entry.path}/vars`;
    // Keras >= 3.6 creates the `vars` group of every saveable, named after the object.
    const group = ensureGroup(root, varsPath);
    group.attrs.set('name', { kind: 'vlen-str', value: entry.name, shape: [] });
    entry.vars.forEach((v, i) => {
      setDataset(root, `${varsPath}/${i}`, variableToDataset(v));
    });
  }
  return root;
}

export interface LoadKeras3Options {
  source: string;
  /** Load layer weights only, leaving the optimizer as it is. */
  skipOptimizer?: boolean;
  /** Report (and skip) objects whose stored variables do not fit instead of failing. */
  skipMismatch?: boolean;
  warn?: (message: string) => void;
}

/**
 * Loads a Keras 3 weights tree into a model, by object-graph path (`layers/dense_1/vars/0`).
 * tf.keras 2.13-2.15 files name the container `_layer_checkpoint_dependencies`; Keras >= 3.6
 * files also carry each object's name, used when a path is missing. Every value is checked
 * before the first one is assigned.
 */
export function loadKeras3Weights(
  model: ModelLike,
  root: H5Group,
  options: LoadKeras3Options,
): void {
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const withOptimizer = !options.skipOptimizer && isOptimizerLike(model.optimizer);
  if (withOptimizer) buildOptimizerIfNeeded(model, root);
  const entries = walkKeras3(model, { includeOptimizer: withOptimizer });
  const byName = indexVarsByName(root);
  const pending: PendingAssign[] = [];
  const failed: string[] = [];
  for (const entry of entries) {
    if (entry.vars.length === 0) {
      // Keras checks these too: stored variables for an object that has none mean the model
      // does not match the file (an unbuilt layer, another architecture).
      const own = getGroup(root, entry.path === '' ? 'vars' : `${entry.path}/vars`);
      const count = own === undefined ? 0 : numericChildren(own).length;
      if (count > 0) {
        failed.push(
          `"${entry.path === '' ? '(model)' : entry.path}" (${describe(entry)}) expects 0 variables. ` +
            `Received: ${count} (is the layer built?)`,
        );
      }
      continue;
    }
    const found = findVarsGroup(root, entry, byName);
    const label = entry.path === '' ? '(model)' : entry.path;
    if (found === undefined) {
      failed.push(`"${label}" (${describe(entry)}): no group "${label}/vars" in the file`);
      continue;
    }
    const stored = numericChildren(found.group);
    if (stored.length !== entry.vars.length) {
      const msg =
        `"${label}" (${describe(entry)}) expects ${entry.vars.length} variables. ` +
        `Received: ${stored.length} in "${found.path}"`;
      if (isOptimizerLike(entry.obj)) {
        // Keras skips a mismatched optimizer with a warning; the layers still load.
        warn(`Skipping optimizer state from "${options.source}": ${msg}.`);
        continue;
      }
      failed.push(msg);
      continue;
    }
    try {
      const checked = stored.map(([i, node], k) => {
        if (node.type !== 'dataset')
          throw new Error(`"${found.path}/${i}" is a group, expected a dataset`);
        return checkAssign(entry.vars[k] as never, node, `"${found.path}/${i}"`);
      });
      pending.push(...checked);
    } catch (err) {
      failed.push((err as Error).message);
    }
  }
  if (failed.length > 0) {
    const text = `Cannot load weights from "${options.source}": ${failed.length} object(s) could not be loaded:\n  ${failed.join('\n  ')}`;
    if (!options.skipMismatch) throw new Error(text);
    warn(text);
  }
  applyAssigns(pending);
}

function describe(entry: SaveableEntry): string {
  const cls = (entry.obj as object).constructor.name;
  return `${cls} "${entry.name}"`;
}

function buildOptimizerIfNeeded(model: ModelLike, root: H5Group): void {
  const opt = model.optimizer;
  const stored = getGroup(root, 'optimizer/vars');
  if (!opt || stored === undefined || typeof opt.build !== 'function') return;
  if (numericChildren(stored).length > opt.variables.length) {
    const trainable = (model as LayerLike).trainableWeights ?? model.weights;
    opt.build([...trainable]);
  }
}

function findVarsGroup(
  root: H5Group,
  entry: SaveableEntry,
  byName: Map<string, { path: string; group: H5Group }[]>,
): { path: string; group: H5Group } | undefined {
  const path = entry.path === '' ? 'vars' : `${entry.path}/vars`;
  const direct = getGroup(root, path);
  if (direct !== undefined) return { path, group: direct };
  if (path.startsWith('layers/')) {
    const legacy = `_layer_checkpoint_dependencies/${path.slice('layers/'.length)}`;
    const group = getGroup(root, legacy);
    if (group !== undefined) return { path: legacy, group };
  }
  const candidates = (byName.get(entry.name) ?? []).filter(
    (c) => numericChildren(c.group).length === entry.vars.length,
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

function indexVarsByName(root: H5Group): Map<string, { path: string; group: H5Group }[]> {
  const out = new Map<string, { path: string; group: H5Group }[]>();
  const walk = (group: H5Group, path: string, depth: number) => {
    if (depth > 64) return;
    for (const [name, child] of group.children) {
      if (child.type !== 'group') continue;
      const childPath = path === '' ? name : `${path}/${name}`;
      if (name === 'vars') {
        const objName = attrString(child, 'name');
        if (objName !== undefined)
          out.set(objName, [...(out.get(objName) ?? []), { path: childPath, group: child }]);
      } else {
        walk(child, childPath, depth + 1);
      }
    }
  };
  walk(root, '', 0);
  return out;
}
