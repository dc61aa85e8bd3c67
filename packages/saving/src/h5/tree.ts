/**
 * An HDF5 file held as plain objects. Readers parse the whole file into this tree (checking it on
 * the way), so the rest of the package never touches h5wasm handles, and a broken file fails in
 * one place with one clear error.
 */

/** How an attribute is stored; writers pick the form h5py would produce for Keras. */
export type H5AttrKind =
  | 'vlen-str' // variable-length UTF-8 string (scalar or array)
  | 'fixed-str' // fixed-length byte strings (numpy `|S<n>`)
  | 'float64'
  | 'float32'
  | 'int64'
  | 'int32';

export interface H5Attr {
  kind: H5AttrKind;
  /** Scalars are a single value; arrays keep `shape`. */
  value: string | number | string[] | number[];
  shape: number[];
}

export type H5DType =
  | 'float32'
  | 'float64'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'int8'
  | 'bool'
  | 'float16';

export type H5Data =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Int8Array
  | Uint16Array;

export interface H5Dataset {
  type: 'dataset';
  shape: number[];
  dtype: H5DType;
  /** Row-major values; int64 is held as a Float64Array of exact integers (bigint normalised). */
  data: H5Data;
  attrs: Map<string, H5Attr>;
}

export interface H5Group {
  type: 'group';
  attrs: Map<string, H5Attr>;
  children: Map<string, H5Group | H5Dataset>;
}

export function newGroup(): H5Group {
  return { type: 'group', attrs: new Map(), children: new Map() };
}

/** Follows `a/b/c` from `root`; undefined when any part is missing. */
export function getNode(root: H5Group, path: string): H5Group | H5Dataset | undefined {
  let node: H5Group | H5Dataset = root;
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    if (node.type !== 'group') return undefined;
    const next: H5Group | H5Dataset | undefined = node.children.get(part);
    if (next === undefined) return undefined;
    node = next;
  }
  return node;
}

export function getGroup(root: H5Group, path: string): H5Group | undefined {
  const node = getNode(root, path);
  return node?.type === 'group' ? node : undefined;
}

/** Creates the groups along `path` (level by level, as HDF5 needs) and returns the last one. */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let node = root;
  for (const part of path.split('/').filter((p) => p.length > 0)) {
    const existing = node.children.get(part);
    if (existing === undefined) {
      const created = newGroup();
      node.children.set(part, created);
      node = created;
    } else if (existing.type === 'group') {
      node = existing;
    } else {
      throw new Error(`Expected a group at "${part}" of "${path}", found a dataset.`);
    }
  }
  return node;
}

/** Puts a dataset at `path`, creating parent groups. */
export function setDataset(root: H5Group, path: string, dataset: H5Dataset): void {
  const parts = path.split('/').filter((p) => p.length > 0);
  const leaf = parts.pop();
  if (leaf === undefined) throw new Error(`A dataset needs a non-empty path. Received: "${path}"`);
  ensureGroup(root, parts.join('/')).children.set(leaf, dataset);
}

export function attrString(node: H5Group | H5Dataset, name: string): string | undefined {
  const attr = node.attrs.get(name);
  if (attr === undefined) return undefined;
  if (typeof attr.value === 'string') return attr.value;
  if (Array.isArray(attr.value) && attr.value.length === 1 && typeof attr.value[0] === 'string') {
    return attr.value[0];
  }
  return undefined;
}

/**
 * Reads a list-of-names attribute the way Keras's legacy loader does: fixed or vlen strings, an
 * empty float64 array meaning "none", and lists too big for one object header split into
 * `name0`, `name1`, ... chunks.
 */
export function attrStringList(node: H5Group | H5Dataset, name: string): string[] | undefined {
  const direct = node.attrs.get(name);
  if (direct !== undefined) return attrValueAsStrings(direct, name);
  if (!node.attrs.has(`${name}0`)) return undefined;
  const out: string[] = [];
  for (let i = 0; node.attrs.has(`${name}${i}`); i++) {
    const chunk = node.attrs.get(`${name}${i}`) as H5Attr;
    out.push(...attrValueAsStrings(chunk, `${name}${i}`));
  }
  return out;
}

function attrValueAsStrings(attr: H5Attr, name: string): string[] {
  if (typeof attr.value === 'string') return [attr.value];
  if (Array.isArray(attr.value)) {
    if (attr.value.length === 0) return [];
    if (attr.value.every((v) => typeof v === 'string')) return attr.value as string[];
  }
  throw new Error(
    `Expected attribute "${name}" to hold strings. Received: ${attr.kind} ${JSON.stringify(attr.value).slice(0, 80)}`,
  );
}

/** Child names of a group in numeric order (`0, 1, 2, 10`), as Keras indexes `vars/<i>`. */
export function numericChildren(group: H5Group): [number, H5Group | H5Dataset][] {
  const out: [number, H5Group | H5Dataset][] = [];
  for (const [name, node] of group.children) {
    if (/^\d+$/.test(name)) out.push([Number(name), node]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
