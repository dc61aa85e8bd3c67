import { readFileSync } from 'node:fs';
import { ensureBackend } from '@keras-ts/backend';
import * as engine from '@keras-ts/engine';
import * as layers from '@keras-ts/layers';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readH5 } from '../h5/h5-read.js';
import { getNode } from '../h5/tree.js';
import { readZip } from '../io/zip.js';
import { loadModel } from './load-model.js';

const FILE = `${import.meta.dirname}/../../../../../shared/fixtures/real/keras3_keras/k3.15_custom_nested_container.keras`;

beforeAll(() => ensureBackend());

/** The subclassed model of Keras's own test file: `num` Dense(4) in a list, then Dense(2). */
class NestedDenseModel extends engine.Model {
  static override className = 'NestedDenseModel';
  readonly num: number;
  readonly blocks: layers.Dense[];
  readonly head: layers.Dense;

  constructor(args: { num?: number; name?: string } = {}) {
    super({ name: args.name ?? 'nested_dense_model' });
    this.num = args.num ?? 3;
    this.blocks = Array.from(
      { length: this.num },
      (_, i) => new layers.Dense({ units: 4, useBias: false, name: `d_${i}` }),
    );
    this.head = new layers.Dense({ units: 2, name: 'dense' });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    let h = inputs as tf.Tensor;
    for (const block of this.blocks) h = block.apply(h) as tf.Tensor;
    return this.head.apply(h) as tf.Tensor;
  }

  override getConfig() {
    return { ...super.getConfig(), num: this.num };
  }
}

describe('custom classes', () => {
  it('loads a registered custom subclassed model, weights addressed by Keras container names', async () => {
    const model = await loadModel(FILE, { customObjects: { NestedDenseModel }, warn: () => {} });
    const weightsH5 = readZip(readFileSync(FILE), { source: 'f' }).get(
      'model.weights.h5',
    ) as Uint8Array;
    const tree = await readH5(weightsH5, { source: 'f' });
    const stored = (path: string) => {
      const node = getNode(tree, path);
      return node?.type === 'dataset' ? Array.from(node.data) : [];
    };
    const byName = (name: string) => model.weights.filter((w) => w.path?.startsWith(`${name}/`));
    expect(Array.from(byName('d_1')[0]?.value.dataSync() ?? [])).toEqual(
      stored('layers/dense_1/vars/0'),
    );
    expect(Array.from(byName('dense')[1]?.value.dataSync() ?? [])).toEqual(
      stored('layers/dense_3/vars/1'),
    );
  });
});
