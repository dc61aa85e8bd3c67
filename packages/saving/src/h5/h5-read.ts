import type { Attribute, Dataset, Group } from 'h5wasm';
import { type H5Wasm, hdf5Reason, loadH5Wasm, memfs, scratchPath } from './h5wasm-module.js';
import type { H5Attr, H5AttrKind, H5Data, H5Dataset, H5DType, H5Group } from './tree.js';

export const HDF5_MAGIC = Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Limits that keep a hostile file from exhausting memory or looping through hard links. */
export interface H5ReadLimits {
  maxDepth: number;
  maxObjects: number;
  /** A compressed (chunked) dataset may expand to at most this multiple of the file size. */
  maxExpansion: number;
  maxDatasetBytes: number;
}

const DEFAULT_LIMITS: H5ReadLimits = {
  maxDepth: 64,
  maxObjects: 200_000,
  maxExpansion: 1100,
  maxDatasetBytes: 2 ** 31,
};

export class H5FormatError extends Error {
  constructor(source: string, part: string, reason: string) {
    super(`Cannot read HDF5 file "${source}" at "${part}": ${reason}`);
    this.name = 'H5FormatError';
  }
}

export function isHdf5(bytes: Uint8Array): boolean {
  if (bytes.length < HDF5_MAGIC.length) return false;
  return HDF5_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Parses a whole HDF5 file into an {@link H5Group} tree. Refuses soft and external links,
 * virtual datasets, datasets whose declared size the file cannot hold, and HDF5 errors (external
 * raw data files included: they are never reachable from the in-memory file system).
 */
export async function readH5(
  bytes: Uint8Array,
  options: { source: string; limits?: Partial<H5ReadLimits> },
): Promise<H5Group> {
  const { source } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!isHdf5(bytes)) {
    throw new H5FormatError(
      source,
      '/',
      'the file does not start with the HDF5 signature \\x89HDF\\r\\n\\x1a\\n',
    );
  }
  const h5 = await loadH5Wasm();
  const fs = memfs(h5);
  const path = scratchPath(source);
  fs.writeFile(path, bytes);
  let file: InstanceType<H5Wasm['File']> | undefined;
  try {
    try {
      file = new h5.File(path, 'r');
    } catch (err) {
      throw new H5FormatError(source, '/', `the file is corrupt or truncated (${hdf5Reason(err)})`);
    }
    const state = { objects: 0, limits, source, fileBytes: bytes.length, h5 };
    return readGroup(file, '/', 0, state);
  } finally {
    try {
      file?.close();
    } catch {
      // Closing a file whose metadata is corrupt can fail again; the read error is what matters.
    }
    fs.unlink(path);
  }
}

interface ReadState {
  objects: number;
  limits: H5ReadLimits;
  source: string;
  fileBytes: number;
  h5: H5Wasm;
}

function guard<T>(state: ReadState, part: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof H5FormatError) throw err;
    throw new H5FormatError(state.source, part, hdf5Reason(err));
  }
}

function readGroup(group: Group, path: string, depth: number, state: ReadState): H5Group {
  if (depth > state.limits.maxDepth) {
    throw new H5FormatError(
      state.source,
      path,
      `groups nest deeper than ${state.limits.maxDepth} levels (a hard-link cycle?)`,
    );
  }
  const out: H5Group = { type: 'group', attrs: readAttrs(group, path, state), children: new Map() };
  const names = guard(state, path, () => group.keys());
  for (const name of names) {
    const childPath = path === '/' ? `/${name}` : `${path}/${name}`;
    state.objects += 1;
    if (state.objects > state.limits.maxObjects) {
      throw new H5FormatError(
        state.source,
        childPath,
        `more than ${state.limits.maxObjects} objects`,
      );
    }
    const soft = guard(state, childPath, () => group.get_link(childPath));
    if (typeof soft === 'string') {
      throw new H5FormatError(
        state.source,
        childPath,
        `soft links are refused (points to "${soft}")`,
      );
    }
    const entity = guard(state, childPath, () => group.get(childPath));
    if (entity instanceof state.h5.ExternalLink) {
      throw new H5FormatError(
        state.source,
        childPath,
        `external links are refused (points to "${entity.filename}:${entity.obj_path}")`,
      );
    }
    if (entity instanceof state.h5.BrokenSoftLink) {
      throw new H5FormatError(state.source, childPath, 'soft links are refused');
    }
    if (entity instanceof state.h5.Group) {
      out.children.set(name, readGroup(entity, childPath, depth + 1, state));
    } else if (entity instanceof state.h5.Dataset) {
      out.children.set(name, readDataset(entity, childPath, state));
    }
    // Named datatypes and references carry no Keras data; they are skipped.
  }
  return out;
}

function readDataset(ds: Dataset, path: string, state: ReadState): H5Dataset {
  const meta = guard(state, path, () => ds.metadata);
  if (meta.virtual_sources !== undefined) {
    const first = meta.virtual_sources[0];
    throw new H5FormatError(
      state.source,
      path,
      `virtual datasets are refused (source "${first?.file_name ?? '?'}:${first?.dset_name ?? '?'}")`,
    );
  }
  const shape = meta.shape ?? [];
  const count = shape.reduce((a, b) => a * b, 1);
  const byteSize = count * meta.size;
  const filtered = meta.chunks !== null;
  const budget = filtered
    ? Math.min(state.limits.maxDatasetBytes, state.fileBytes * state.limits.maxExpansion)
    : Math.min(state.limits.maxDatasetBytes, state.fileBytes);
  if (byteSize > budget) {
    throw new H5FormatError(
      state.source,
      path,
      `dataset shape [${shape}] declares ${byteSize} bytes, more than the ${state.fileBytes}-byte file can hold (shape bomb)`,
    );
  }
  const dtype = datasetDType(meta, path, state);
  const raw = guard(state, path, () => ds.value);
  const data = normaliseData(raw, dtype, count, path, state);
  return { type: 'dataset', shape, dtype, data, attrs: readAttrs(ds, path, state) };
}

function datasetDType(
  meta: { type: number; size: number; signed: boolean },
  path: string,
  state: ReadState,
): H5DType {
  // HDF5 type classes: 0 integer, 1 float, 8 enum (h5py stores numpy bool as an int8 enum).
  if (meta.type === 1 && meta.size === 4) return 'float32';
  if (meta.type === 1 && meta.size === 8) return 'float64';
  if (meta.type === 1 && meta.size === 2) return 'float16';
  if (meta.type === 0 && meta.size === 8) return 'int64';
  if (meta.type === 0 && meta.size === 4) return 'int32';
  if (meta.type === 0 && meta.size === 1) return meta.signed ? 'int8' : 'uint8';
  if (meta.type === 8 && meta.size === 1) return 'bool';
  throw new H5FormatError(
    state.source,
    path,
    `unsupported dataset type (HDF5 class ${meta.type}, ${meta.size} bytes); expected float16/32/64, int8/32/64, uint8 or bool`,
  );
}

function normaliseData(
  raw: unknown,
  dtype: H5DType,
  count: number,
  path: string,
  state: ReadState,
): H5Data {
  let data: H5Data;
  if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') {
    data = dtype === 'float32' ? Float32Array.of(Number(raw)) : Float64Array.of(Number(raw));
    if (dtype === 'int32') data = Int32Array.of(Number(raw));
  } else if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    data = Float64Array.from(raw, (v) => Number(v));
  } else if (
    raw instanceof Float32Array ||
    raw instanceof Float64Array ||
    raw instanceof Int32Array ||
    raw instanceof Uint8Array ||
    raw instanceof Int8Array ||
    raw instanceof Uint16Array
  ) {
    data = raw;
  } else if (raw instanceof Uint32Array || raw instanceof Int16Array) {
    data = Float64Array.from(raw);
  } else {
    throw new H5FormatError(state.source, path, `could not decode the ${dtype} values`);
  }
  if (data.length !== count) {
    throw new H5FormatError(state.source, path, `expected ${count} values, read ${data.length}`);
  }
  return data;
}

function readAttrs(obj: Group | Dataset, path: string, state: ReadState): Map<string, H5Attr> {
  const out = new Map<string, H5Attr>();
  const attrs = guard(state, path, () => obj.attrs);
  for (const [name, attr] of Object.entries(attrs)) {
    out.set(
      name,
      guard(state, `${path}@${name}`, () => readAttr(attr)),
    );
  }
  return out;
}

function stripNul(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

function readAttr(attr: Attribute): H5Attr {
  const meta = attr.metadata;
  const shape = meta.shape ?? [];
  const value = attr.value;
  if (meta.type === 3) {
    const kind: H5AttrKind = meta.vlen ? 'vlen-str' : 'fixed-str';
    if (typeof value === 'string') return { kind, value: stripNul(value), shape };
    if (Array.isArray(value)) return { kind, value: value.map((v) => stripNul(String(v))), shape };
    return { kind, value: String(value ?? ''), shape };
  }
  const kind: H5AttrKind =
    meta.type === 1
      ? meta.size === 8
        ? 'float64'
        : 'float32'
      : meta.size === 8
        ? 'int64'
        : 'int32';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return { kind, value: Number(value), shape };
  }
  if (ArrayBuffer.isView(value)) {
    return {
      kind,
      value: Array.from(value as unknown as ArrayLike<number | bigint>, (v) => Number(v)),
      shape,
    };
  }
  if (Array.isArray(value)) {
    return {
      kind,
      value: value.map((v) => (typeof v === 'string' ? v : Number(v))) as string[] | number[],
      shape,
    };
  }
  return { kind, value: [], shape };
}
