import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readH5 } from './h5-read.js';
import { writeH5 } from './h5-write.js';
import {
  attrString,
  attrStringList,
  getNode,
  newGroup,
  numericChildren,
  setDataset,
} from './tree.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures`;

describe('readH5 on Keras-written files', () => {
  it('reads the legacy model.h5 of a Keras 3.15 Functional MLP', async () => {
    const root = await readH5(readFileSync(`${FIX}/keras3/a_mlp/model.h5`), { source: 'model.h5' });
    expect(JSON.parse(attrString(root, 'model_config') ?? '{}').class_name).toBe('Functional');
    const mw = getNode(root, 'model_weights');
    expect(mw?.type).toBe('group');
    expect(attrStringList(mw as never, 'layer_names')).toEqual(['features', 'hidden', 'probs']);
    // Weightless layers store an empty float64 array: that reads as "no weight names".
    expect(
      attrStringList(getNode(root, 'model_weights/features') as never, 'weight_names'),
    ).toEqual([]);
    const kernel = getNode(root, 'model_weights/hidden/hidden/kernel');
    expect(kernel?.type === 'dataset' && kernel.shape).toEqual([6, 8]);
  });

  it('reads fixed-length string attributes from a Keras 2.1 / h5py 2 file without NUL padding', async () => {
    const root = await readH5(
      readFileSync(`${FIX}/real/keras2_h5/dl4j_gold/fullconfigs/cnn/cnn_batch_norm.h5`),
      {
        source: 'cnn_batch_norm.h5',
      },
    );
    const names = attrStringList(getNode(root, 'model_weights') as never, 'layer_names') ?? [];
    expect(names.length).toBeGreaterThan(3);
    for (const n of names) expect(n).not.toContain('\0');
  });
});

describe('writeH5', () => {
  it('round-trips groups, datasets and every attribute kind', async () => {
    const root = newGroup();
    root.attrs.set('keras_version', { kind: 'vlen-str', value: '3.15.1', shape: [] });
    root.attrs.set('layer_names', { kind: 'fixed-str', value: ['dense', 'dense_10'], shape: [2] });
    root.attrs.set('weight_names', { kind: 'float64', value: [], shape: [0] });
    root.attrs.set('names_vlen', { kind: 'vlen-str', value: ['a', 'ünï'], shape: [2] });
    setDataset(root, 'layers/dense/vars/0', {
      type: 'dataset',
      shape: [2, 2],
      dtype: 'float32',
      data: Float32Array.of(1, 2, 3, 4.5),
      attrs: new Map(),
    });
    setDataset(root, 'optimizer/vars/0', {
      type: 'dataset',
      shape: [],
      dtype: 'int64',
      data: Float64Array.of(4250),
      attrs: new Map(),
    });
    for (let i = 0; i < 12; i++) {
      setDataset(root, `many/${i}`, {
        type: 'dataset',
        shape: [1],
        dtype: 'int32',
        data: Int32Array.of(i),
        attrs: new Map(),
      });
    }
    const back = await readH5(await writeH5(root), { source: 'mem.h5' });
    expect(attrString(back, 'keras_version')).toBe('3.15.1');
    expect(attrStringList(back, 'layer_names')).toEqual(['dense', 'dense_10']);
    expect(back.attrs.get('layer_names')?.kind).toBe('fixed-str');
    expect(attrStringList(back, 'weight_names')).toEqual([]);
    expect(back.attrs.get('weight_names')?.kind).toBe('float64');
    expect(attrStringList(back, 'names_vlen')).toEqual(['a', 'ünï']);
    const k = getNode(back, 'layers/dense/vars/0');
    expect(k?.type === 'dataset' && Array.from(k.data)).toEqual([1, 2, 3, 4.5]);
    const it64 = getNode(back, 'optimizer/vars/0');
    expect(it64?.type === 'dataset' && [it64.dtype, it64.shape, Array.from(it64.data)]).toEqual([
      'int64',
      [],
      [4250],
    ]);
    const many = getNode(back, 'many');
    expect(many?.type === 'group' && numericChildren(many).map(([i]) => i)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
  });

  it('reads chunked list attributes layer_names0, layer_names1 in order', async () => {
    const root = newGroup();
    root.attrs.set('layer_names1', { kind: 'fixed-str', value: ['c'], shape: [1] });
    root.attrs.set('layer_names0', { kind: 'fixed-str', value: ['a', 'b'], shape: [2] });
    const back = await readH5(await writeH5(root), { source: 'mem.h5' });
    expect(attrStringList(back, 'layer_names')).toEqual(['a', 'b', 'c']);
  });
});
