import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Activation } from '../core/activation.js';
import { Dense } from '../core/dense.js';
import { Embedding } from '../core/embedding.js';
import type { Layer } from '../engine/layer.js';
import type { Config, ConfigValue } from '../engine/types.js';
import { Concatenate } from '../merging/concatenate.js';
import { Add } from '../merging/elementwise.js';
import { Dropout } from '../regularization/dropout.js';
import { Flatten } from '../reshaping/flatten.js';
import { deserializeKerasObject } from './registry.js';
import {
  FIXTURES,
  h5Model,
  ioJson,
  kerasConfig,
  stripSharedIds,
} from './test-utils/keras3-fixtures.js';

beforeAll(() => ensureBackend());

const OWNED = new Set([
  'InputLayer',
  'Dense',
  'Embedding',
  'Activation',
  'Dropout',
  'Flatten',
  'Concatenate',
  'Add',
]);

type LayerEntry = { class_name: string; name: string; config: Config; module?: string };

function layersOf(model: Config): LayerEntry[] {
  return ((model.config as Config).layers as unknown as LayerEntry[]).filter((l) =>
    OWNED.has(l.class_name),
  );
}

function data(v: unknown): tf.Tensor {
  return tf.tensor((v as { data: number[] }).data as never);
}

describe('Keras 3.15 fixture configs', () => {
  it.each(FIXTURES)('%s: our layers rebuild from config.json and write it back exactly', (name) => {
    for (const entry of layersOf(kerasConfig(name))) {
      const layer = deserializeKerasObject(entry as unknown as ConfigValue, {
        kind: 'layers',
      }) as Layer;
      expect(layer.getConfig(), `${name}/${entry.name}`).toEqual(stripSharedIds(entry.config));
    }
  });

  it.each(FIXTURES)('%s: the legacy model.h5 dialect gives the same layers', async (name) => {
    const h5 = await h5Model(name);
    const k3 = new Map(layersOf(kerasConfig(name)).map((l) => [l.name, l.config]));
    for (const entry of layersOf(h5.config)) {
      const layer = deserializeKerasObject(entry as unknown as ConfigValue, {
        kind: 'layers',
      }) as Layer;
      expect(layer.getConfig(), `${name}/${entry.config.name}`).toEqual(
        stripSharedIds(k3.get(entry.config.name as string)),
      );
    }
    h5.close();
  });
});

describe('Keras 3.15 fixture numbers', () => {
  it('a_mlp: two Dense layers (relu, softmax) reproduce Keras outputs', async () => {
    const h5 = await h5Model('a_mlp');
    const io = ioJson('a_mlp');
    const hidden = new Dense({ units: 8, activation: 'relu' });
    const probs = new Dense({ units: 3, activation: 'softmax' });
    const x = data(io.inputs.features);
    hidden.build([null, 6]);
    hidden.setWeights([h5.weight('hidden', 'kernel'), h5.weight('hidden', 'bias')]);
    probs.build([null, 8]);
    probs.setWeights([h5.weight('probs', 'kernel'), h5.weight('probs', 'bias')]);
    const h = hidden.apply(x) as tf.Tensor;
    expect(h).toBeAllclose(data(io.intermediates.hidden), { atol: 1e-5 });
    expect(probs.apply(h)).toBeAllclose(data(io.intermediates.probs), { atol: 1e-5 });
    h5.close();
  });

  it('g_shared_layer: one Dense on two inputs, Concatenate, Add, Concatenate, Dense', async () => {
    const h5 = await h5Model('g_shared_layer');
    const io = ioJson('g_shared_layer');
    const shared = new Dense({ units: 4, activation: 'tanh' });
    shared.build([null, 5]);
    shared.setWeights([h5.weight('shared_dense', 'kernel'), h5.weight('shared_dense', 'bias')]);
    const out = new Dense({ units: 2 });
    out.build([null, 12]);
    out.setWeights([h5.weight('out', 'kernel'), h5.weight('out', 'bias')]);
    const a = shared.apply(data(io.inputs.input_a)) as tf.Tensor;
    const b = shared.apply(data(io.inputs.input_b)) as tf.Tensor;
    const byNode = io.intermediates.shared_dense?.shared_layer_outputs_by_node_index ?? [];
    expect(a).toBeAllclose(data(byNode[0]), { atol: 1e-5 });
    expect(b).toBeAllclose(data(byNode[1]), { atol: 1e-5 });
    const concat = new Concatenate().apply([a, b]) as tf.Tensor;
    const add = new Add().apply([a, b]) as tf.Tensor;
    expect(concat).toBeAllclose(data(io.intermediates.concat), { atol: 1e-5 });
    expect(add).toBeAllclose(data(io.intermediates.add), { atol: 1e-5 });
    const concat2 = new Concatenate().apply([concat, add]) as tf.Tensor;
    expect(out.apply(concat2)).toBeAllclose(data(io.intermediates.out), { atol: 1e-5 });
    h5.close();
  });

  it('e, f, c: Activation, Dropout at inference, Flatten, Embedding match Keras', async () => {
    const e = ioJson('e_batchnorm_dropout');
    const relu = new Activation({ activation: 'relu' }).apply(
      data(e.intermediates.bn),
    ) as tf.Tensor;
    expect(relu).toBeAllclose(data(e.intermediates.relu), { atol: 1e-6 });
    expect(new Dropout({ rate: 0.3 }).apply(relu)).toBeAllclose(data(e.intermediates.dropout), {
      atol: 1e-6,
    });
    const f = ioJson('f_two_outputs');
    expect(new Flatten().apply(data(f.intermediates.conv))).toBeAllclose(
      data(f.intermediates.flatten),
      { atol: 1e-6 },
    );
    const h5 = await h5Model('c_embedding_lstm');
    const c = ioJson('c_embedding_lstm');
    const embed = new Embedding({ inputDim: 20, outputDim: 6 });
    embed.build([null, 5]);
    embed.setWeights([h5.weight('embed', 'embeddings')]);
    const tokens = tf.tensor((c.inputs.tokens as { data: number[][] }).data, undefined, 'int32');
    expect(embed.apply(tokens)).toBeAllclose(data(c.intermediates.embed), { atol: 1e-7 });
    h5.close();
  });
});
