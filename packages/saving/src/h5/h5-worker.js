// @ts-check
/**
 * Parses HDF5 bytes into the plain tree of tree.ts, in a worker thread. libhdf5 can loop forever
 * on some corrupt files (a damaged variable-length string heap, for one); the main thread
 * terminates this worker when it runs past its time limit, so such a file gives an error instead
 * of hanging the process. Plain JavaScript, so Node runs it from src/ (tests) and dist/ alike.
 */
import { parentPort } from 'node:worker_threads';
import * as h5 from 'h5wasm';

const ready = h5.ready.then((module) => {
  // HDF5 errors become exceptions, never half-read values.
  module.activate_throwing_error_handler();
  return module;
});

let counter = 0;

class PartError extends Error {
  /** @param {string} part @param {string} reason */
  constructor(part, reason) {
    super(reason);
    this.part = part;
  }
}

/** @param {unknown} err */
function hdf5Reason(err) {
  const text = err instanceof Error ? err.message : String(err);
  const minors = [...text.matchAll(/minor: (.+)/g)].map((m) => (m[1] ?? '').trim());
  const lines = [...text.matchAll(/in (\w+)\(\): (.+)/g)].map((m) => `${m[1]}: ${m[2]}`);
  const last = lines[lines.length - 1];
  if (last !== undefined) {
    return `${last}${minors.length > 0 ? ` (${minors[minors.length - 1]})` : ''}`;
  }
  return text.slice(0, 200);
}

/**
 * @template T
 * @param {string} part
 * @param {() => T} fn
 * @returns {T}
 */
function guard(part, fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PartError) throw err;
    throw new PartError(part, hdf5Reason(err));
  }
}

/** @param {string} s */
function stripNul(s) {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

/** @param {any} attr */
function readAttr(attr) {
  const meta = attr.metadata;
  const shape = meta.shape ?? [];
  const value = attr.value;
  if (meta.type === 3) {
    const kind = meta.vlen ? 'vlen-str' : 'fixed-str';
    if (typeof value === 'string') return { kind, value: stripNul(value), shape };
    if (Array.isArray(value)) return { kind, value: value.map((v) => stripNul(String(v))), shape };
    return { kind, value: String(value ?? ''), shape };
  }
  const kind =
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
    return { kind, value: Array.from(/** @type {any} */ (value), (v) => Number(v)), shape };
  }
  if (Array.isArray(value)) {
    return { kind, value: value.map((v) => (typeof v === 'string' ? v : Number(v))), shape };
  }
  return { kind, value: [], shape };
}

/** @param {any} obj @param {string} path */
function readAttrs(obj, path) {
  const out = new Map();
  // h5wasm's `attrs` are lazy getters: each one is read inside the guard.
  const attrs = guard(path, () => obj.attrs);
  const names = guard(path, () => Object.keys(attrs));
  for (const name of names) {
    out.set(
      name,
      guard(`${path}@${name}`, () => readAttr(attrs[name])),
    );
  }
  return out;
}

/** @param {{type: number, size: number, signed: boolean}} meta @param {string} path */
function datasetDType(meta, path) {
  // HDF5 type classes: 0 integer, 1 float, 8 enum (h5py stores numpy bool as an int8 enum).
  if (meta.type === 1 && meta.size === 4) return 'float32';
  if (meta.type === 1 && meta.size === 8) return 'float64';
  if (meta.type === 1 && meta.size === 2) return 'float16';
  if (meta.type === 0 && meta.size === 8) return 'int64';
  if (meta.type === 0 && meta.size === 4) return 'int32';
  if (meta.type === 0 && meta.size === 1) return meta.signed ? 'int8' : 'uint8';
  if (meta.type === 8 && meta.size === 1) return 'bool';
  throw new PartError(
    path,
    `unsupported dataset type (HDF5 class ${meta.type}, ${meta.size} bytes); expected float16/32/64, int8/32/64, uint8 or bool`,
  );
}

/** @param {unknown} raw @param {string} dtype @param {number} count @param {string} path */
function normaliseData(raw, dtype, count, path) {
  let data;
  if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') {
    const n = Number(raw);
    data =
      dtype === 'float32'
        ? Float32Array.of(n)
        : dtype === 'int32'
          ? Int32Array.of(n)
          : Float64Array.of(n);
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
    throw new PartError(path, `could not decode the ${dtype} values`);
  }
  if (data.length !== count) {
    throw new PartError(path, `expected ${count} values, read ${data.length}`);
  }
  return data;
}

/** @param {any} ds @param {string} path @param {any} state */
function readDataset(ds, path, state) {
  const meta = guard(path, () => ds.metadata);
  if (meta.virtual_sources !== undefined) {
    const first = meta.virtual_sources[0];
    throw new PartError(
      path,
      `virtual datasets are refused (source "${first?.file_name ?? '?'}:${first?.dset_name ?? '?'}")`,
    );
  }
  const shape = meta.shape ?? [];
  const count = shape.reduce((/** @type {number} */ a, /** @type {number} */ b) => a * b, 1);
  const byteSize = count * meta.size;
  const { limits, fileBytes } = state;
  const budget =
    meta.chunks !== null
      ? Math.min(limits.maxDatasetBytes, fileBytes * limits.maxExpansion)
      : Math.min(limits.maxDatasetBytes, fileBytes);
  if (byteSize > budget) {
    throw new PartError(
      path,
      `dataset shape [${shape}] declares ${byteSize} bytes, more than the ${fileBytes}-byte file can hold (shape bomb)`,
    );
  }
  const dtype = datasetDType(meta, path);
  const raw = guard(path, () => ds.value);
  const data = normaliseData(raw, dtype, count, path);
  return { type: 'dataset', shape, dtype, data, attrs: readAttrs(ds, path) };
}

/** @param {any} group @param {string} path @param {number} depth @param {any} state */
function readGroup(group, path, depth, state) {
  if (depth > state.limits.maxDepth) {
    throw new PartError(
      path,
      `groups nest deeper than ${state.limits.maxDepth} levels (a hard-link cycle?)`,
    );
  }
  const out = { type: 'group', attrs: readAttrs(group, path), children: new Map() };
  const names = guard(path, () => group.keys());
  for (const name of names) {
    const childPath = path === '/' ? `/${name}` : `${path}/${name}`;
    state.objects += 1;
    if (state.objects > state.limits.maxObjects) {
      throw new PartError(childPath, `more than ${state.limits.maxObjects} objects`);
    }
    const soft = guard(childPath, () => group.get_link(childPath));
    if (typeof soft === 'string') {
      throw new PartError(childPath, `soft links are refused (points to "${soft}")`);
    }
    const entity = guard(childPath, () => group.get(childPath));
    if (entity instanceof h5.ExternalLink) {
      throw new PartError(
        childPath,
        `external links are refused (points to "${entity.filename}:${entity.obj_path}")`,
      );
    }
    if (entity instanceof h5.BrokenSoftLink) {
      throw new PartError(childPath, 'soft links are refused');
    }
    if (entity instanceof h5.Group) {
      out.children.set(name, readGroup(entity, childPath, depth + 1, state));
    } else if (entity instanceof h5.Dataset) {
      out.children.set(name, readDataset(entity, childPath, state));
    }
    // Named datatypes and references carry no Keras data; they are skipped.
  }
  return out;
}

/** @param {{ bytes: Uint8Array, source: string, limits: any }} request */
async function parse(request) {
  const module = await ready;
  const fs = module.FS;
  counter += 1;
  // A private in-memory path: nothing in the file can reach the host's files.
  const path = `/read-${counter}.h5`;
  fs.writeFile(path, request.bytes);
  /** @type {any} */
  let file;
  try {
    try {
      file = new h5.File(path, 'r');
    } catch (err) {
      throw new PartError('/', `the file is corrupt or truncated (${hdf5Reason(err)})`);
    }
    const state = { objects: 0, limits: request.limits, fileBytes: request.bytes.length };
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

parentPort?.on('message', async (/** @type {any} */ request) => {
  try {
    const tree = await parse(request);
    parentPort?.postMessage({ id: request.id, ok: true, tree });
  } catch (err) {
    const part = err instanceof PartError ? err.part : '/';
    const reason = err instanceof PartError ? err.message : hdf5Reason(err);
    parentPort?.postMessage({ id: request.id, ok: false, part, reason });
  }
});
