import type { Group } from 'h5wasm';
import { hdf5Reason, loadH5Wasm, memfs, scratchPath } from './h5wasm-module.js';
import type { H5Attr, H5Dataset, H5DType, H5Group } from './tree.js';

const WRITE_DTYPE: Record<H5DType, string> = {
  float32: '<f',
  float64: '<d',
  float16: '<e',
  int32: '<i',
  int64: '<q',
  int8: '<b',
  uint8: '<B',
  bool: '<b',
};

/**
 * Serialises an {@link H5Group} tree into HDF5 bytes. Children are created in the tree's
 * insertion order, one level at a time (h5wasm does not create intermediate groups).
 */
export async function writeH5(root: H5Group): Promise<Uint8Array> {
  const h5 = await loadH5Wasm();
  const fs = memfs(h5);
  const path = scratchPath('write.h5');
  try {
    const file = new h5.File(path, 'w');
    try {
      writeGroup(file, root, '/');
    } finally {
      file.close();
    }
    return fs.readFile(path);
  } catch (err) {
    throw new Error(`Writing HDF5 failed: ${hdf5Reason(err)}`);
  } finally {
    try {
      fs.unlink(path);
    } catch {
      // Nothing was created when h5wasm failed to open the file.
    }
  }
}

function writeGroup(target: Group, group: H5Group, path: string): void {
  for (const [name, attr] of group.attrs) writeAttr(target, name, attr);
  for (const [name, child] of group.children) {
    const childPath = `${path === '/' ? '' : path}/${name}`;
    if (child.type === 'group') {
      const created = target.create_group(name);
      if (created === null) throw new Error(`could not create group "${childPath}"`);
      writeGroup(created, child, childPath);
    } else {
      writeDataset(target, name, child, childPath);
    }
  }
}

function writeDataset(target: Group, name: string, ds: H5Dataset, path: string): void {
  const data =
    ds.dtype === 'int64' ? BigInt64Array.from(ds.data, (v) => BigInt(Math.round(v))) : ds.data;
  const created = target.create_dataset({
    name,
    data,
    shape: ds.shape,
    dtype: WRITE_DTYPE[ds.dtype],
  });
  if (created === null) throw new Error(`could not create dataset "${path}"`);
  for (const [attrName, attr] of ds.attrs) writeAttr(created, attrName, attr);
}

function writeAttr(
  target: Group | ReturnType<Group['create_dataset']>,
  name: string,
  attr: H5Attr,
): void {
  const { kind, value, shape } = attr;
  if (kind === 'vlen-str') {
    const strings = Array.isArray(value) ? value.map(String) : String(value);
    target.create_attribute(name, strings, Array.isArray(value) ? [value.length] : null);
    return;
  }
  if (kind === 'fixed-str') {
    const strings = Array.isArray(value) ? value.map(String) : [String(value)];
    const width = Math.max(1, ...strings.map((s) => Buffer.byteLength(s, 'utf8')));
    target.create_attribute(
      name,
      strings,
      Array.isArray(value) ? [strings.length] : null,
      `S${width}`,
    );
    return;
  }
  const numbers = Array.isArray(value) ? value.map(Number) : [Number(value)];
  const attrShape = Array.isArray(value) ? shape : null;
  switch (kind) {
    case 'float64':
      target.create_attribute(name, Float64Array.from(numbers), attrShape, '<d');
      return;
    case 'float32':
      target.create_attribute(name, Float32Array.from(numbers), attrShape, '<f');
      return;
    case 'int32':
      target.create_attribute(name, Int32Array.from(numbers), attrShape, '<i');
      return;
    case 'int64':
      target.create_attribute(
        name,
        BigInt64Array.from(numbers, (v) => BigInt(v)),
        attrShape,
        '<q',
      );
      return;
  }
}
