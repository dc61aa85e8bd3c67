import { readFileSync } from 'node:fs';
import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readH5 } from '../h5/h5-read.js';
import { writeH5 } from '../h5/h5-write.js';
import { attrStringList, getGroup, type H5Group, newGroup } from '../h5/tree.js';
import {
  BatchNormalization,
  Dense,
  Dropout,
  Functional,
  fillDistinct,
  InputLayer,
} from '../test-utils/fake-model.js';
import { loadKeras3Weights } from './keras3-weights.js';
import { flipSpatial, legacyWeightsTree, loadLegacyWeights, setNameListAttr } from './legacy-h5.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures`;

beforeAll(() => ensureBackend());

class Activation extends Dense {}

function bnModel() {
  return new Functional('bn_dropout', [
    new InputLayer('features'),
    new Dense('dense1', { kernel: [6, 8], bias: [8] }),
    new BatchNormalization('bn', { gamma: [8], beta: [8], moving_mean: [8], moving_variance: [8] }),
    new Activation('relu'),
    new Dropout('dropout'),
    new Dense('logits', { kernel: [8, 4], bias: [4] }),
  ]);
}

async function fixture(name: string): Promise<H5Group> {
  return readH5(readFileSync(`${FIX}/${name}`), { source: name });
}

describe('legacy HDF5 weights', () => {
  it('loads model.h5 by order to the same values as the Keras 3 model.weights.h5 of the same model', async () => {
    const fromLegacy = bnModel();
    loadLegacyWeights(fromLegacy, await fixture('keras3/e_batchnorm_dropout/model.h5'), {
      source: 'model.h5',
    });
    const fromKeras3 = bnModel();
    loadKeras3Weights(fromKeras3, await fixture('keras3/e_batchnorm_dropout/model.weights.h5'), {
      source: 'w',
    });
    fromLegacy.weights.forEach((w, i) => {
      expect(w.value).toBeAllclose(fromKeras3.weights[i]?.value, { atol: 0, rtol: 0 });
    });
    // moving_variance is positive: a shifted order would show here.
    expect(Array.from(fromLegacy.weights[5]?.value.dataSync() ?? []).every((v) => v > 0)).toBe(
      true,
    );
  });

  it('loads by name into a model with other layer order and an extra layer', async () => {
    const model = new Functional('other', [
      new Dense('logits', { kernel: [8, 4], bias: [4] }),
      new Dense('extra', { kernel: [2, 2] }),
      new Dense('dense1', { kernel: [6, 8], bias: [8] }),
    ]);
    loadLegacyWeights(model, await fixture('keras3/e_batchnorm_dropout/model.h5'), {
      source: 'm',
      byName: true,
    });
    const reference = bnModel();
    loadKeras3Weights(reference, await fixture('keras3/e_batchnorm_dropout/model.weights.h5'), {
      source: 'w',
    });
    expect(model.layers[0]?.weights[0]?.value).toBeAllclose(reference.layers[5]?.weights[0]?.value);
    expect(model.layers[2]?.weights[1]?.value).toBeAllclose(reference.layers[1]?.weights[1]?.value);
  });

  it('skips layers whose shapes do not match with skipMismatch, and errors without it', async () => {
    const root = await fixture('keras3/e_batchnorm_dropout/model.h5');
    const model = new Functional('m', [
      new Dense('dense1', { kernel: [6, 9], bias: [9] }),
      new Dense('logits', { kernel: [8, 4], bias: [4] }),
    ]);
    expect(() => loadLegacyWeights(model, root, { source: 'm.h5', byName: true })).toThrow(
      /"dense1\/dense1\/kernel" of "m.h5" into variable "dense1\/kernel": expected shape \[6,9\]. Received: shape \[6,8\]/,
    );
    const warnings: string[] = [];
    loadLegacyWeights(model, root, {
      source: 'm.h5',
      byName: true,
      skipMismatch: true,
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toHaveLength(1);
    expect(
      Array.from(model.layers[1]?.weights[1]?.value.dataSync() ?? []).some((v) => v !== 0),
    ).toBe(true);
  });

  it('reads a Keras 2.3.1 weights-only file and names the layer count mismatch', async () => {
    const root = await fixture(
      'real/keras2_h5/dl4j_gold/examples/simple_sparse_xent/simple_sparse_xent_mlp_keras_2_weights.h5',
    );
    const ok = new Functional('m', [
      new Dense('dense_1', { kernel: [4, 3], bias: [3] }),
      new Activation('activation_1'),
    ]);
    loadLegacyWeights(ok, root, { source: 'w.h5' });
    const bad = new Functional('m', [
      new Dense('a', { kernel: [4, 3], bias: [3] }),
      new Dense('b', { kernel: [3] }),
    ]);
    expect(() => loadLegacyWeights(bad, root, { source: 'w.h5' })).toThrow(
      /"w.h5": layer count mismatch. The model has 2 layers with weights \(a, b\). Received: 1 saved layers with weights \(dense_1\)/,
    );
  });

  it('refuses Keras 1 files clearly', async () => {
    const root = await fixture('real/keras2_h5/dl4j_format_variants/weights_lstm_tensorflow_1.h5');
    expect(() => loadLegacyWeights(new Functional('m', []), root, { source: 'k1.h5' })).toThrow(
      /"k1.h5": it was written by Keras 1.2.2/,
    );
  });

  it('writes the model_weights structure Keras 3.15 wrote for the same model', async () => {
    const keras = getGroup(
      await fixture('keras3/e_batchnorm_dropout/model.h5'),
      'model_weights',
    ) as H5Group;
    const model = bnModel();
    fillDistinct(model.weights);
    const ours = await readH5(await writeH5(legacyWeightsTree(model, { kerasVersion: '3.15.1' })), {
      source: 'o',
    });
    expect(structure(ours)).toEqual(structure(keras));
    const back = bnModel();
    loadLegacyWeights(back, ours, { source: 'o' });
    model.weights.forEach((w, i) => {
      expect(back.weights[i]?.value).toBeAllclose(w.value, { atol: 0, rtol: 0 });
    });
  });

  it('splits name lists over 64512 bytes into layer_names0.. chunks that read back in order', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `a_rather_long_layer_name_number_${i}`);
    const g = newGroup();
    setNameListAttr(g, 'layer_names', names);
    expect(g.attrs.has('layer_names')).toBe(false);
    expect(g.attrs.has('layer_names1')).toBe(true);
    const back = await readH5(await writeH5(g), { source: 'chunks' });
    expect(attrStringList(back, 'layer_names')).toEqual(names);
  });

  it('flips Theano convolution kernels along the spatial axes only', () => {
    // kernel (2, 2, 1, 2): value = 10*row + col, + 100 for the second output channel
    const data = Float32Array.of(0, 100, 1, 101, 10, 110, 11, 111);
    expect(Array.from(flipSpatial(data, [2, 2, 1, 2]))).toEqual([11, 111, 10, 110, 1, 101, 0, 100]);
  });
});

function structure(root: H5Group): string[] {
  const out: string[] = [];
  const walk = (g: H5Group, p: string) => {
    for (const [k, a] of g.attrs) out.push(`${p}@${k}:${a.kind}[${a.shape}]`);
    for (const [name, c] of g.children) {
      const cp = `${p}/${name}`;
      if (c.type === 'group') walk(c, cp);
      else out.push(`${cp}[${c.shape}]${c.dtype}`);
    }
  };
  walk(root, '');
  return out.sort();
}
