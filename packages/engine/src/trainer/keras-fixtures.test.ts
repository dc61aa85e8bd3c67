import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import {
  Add,
  Concatenate,
  Conv2D,
  Dense,
  Flatten,
  Input,
  type Layer,
  MaxPooling2D,
  type SymbolicTensor,
} from '@keras-ts/layers';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Model } from '../model.js';
import { SGD } from '../optimizers/index.js';
import { FIXTURES, fixtureTensor, readH5Weights, readIO } from '../test-utils/keras-fixtures.js';

beforeAll(() => ensureBackend());

const sym = (t: unknown) => t as SymbolicTensor;

/** The fixture models, rebuilt in code with the same layer names (see fixtures README). */
const builders: Record<string, () => Model> = {
  a_mlp: () => {
    const x = Input({ shape: [6], name: 'features' });
    const h = new Dense({ units: 8, activation: 'relu', name: 'hidden' }).apply(x);
    const y = new Dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(sym(h));
    return new Model({ inputs: x, outputs: sym(y), name: 'mlp' });
  },
  b_cnn: () => {
    const x = Input({ shape: [14, 14, 3], name: 'image' });
    let h = new Conv2D({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      name: 'conv_same_s2',
    }).apply(x);
    h = new Conv2D({
      filters: 6,
      kernelSize: 3,
      strides: 2,
      padding: 'valid',
      activation: 'relu',
      name: 'conv_valid_s2',
    }).apply(sym(h));
    h = new MaxPooling2D({ poolSize: 2, strides: 1, name: 'maxpool' }).apply(sym(h));
    h = new Flatten({ name: 'flatten' }).apply(sym(h));
    const y = new Dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(sym(h));
    return new Model({ inputs: x, outputs: sym(y) });
  },
  f_two_outputs: () => {
    const x = Input({ shape: [8, 8, 1], name: 'image_input' });
    let h = new Conv2D({ filters: 3, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(x);
    h = new Flatten({ name: 'flatten' }).apply(sym(h));
    h = new Dense({ units: 6, activation: 'relu', name: 'trunk' }).apply(sym(h));
    const o1 = new Dense({ units: 2, name: 'output1' }).apply(sym(h));
    const o2 = new Dense({ units: 3, activation: 'sigmoid', name: 'output2' }).apply(sym(h));
    return new Model({ inputs: x, outputs: [sym(o1), sym(o2)] });
  },
  g_shared_layer: () => {
    const a = Input({ shape: [5], name: 'input_a' });
    const b = Input({ shape: [5], name: 'input_b' });
    const shared = new Dense({ units: 4, activation: 'tanh', name: 'shared_dense' });
    const ha = sym(shared.apply(a));
    const hb = sym(shared.apply(b));
    const c = sym(new Concatenate({ name: 'concat' }).apply([ha, hb]));
    const s = sym(new Add({ name: 'add' }).apply([ha, hb]));
    const c2 = sym(new Concatenate({ name: 'concat2' }).apply([c, s]));
    const y = new Dense({ units: 2, name: 'out' }).apply(c2);
    return new Model({ inputs: [a, b], outputs: sym(y) });
  },
};

/** Model.fromConfig on the fixture's own model.keras config (Keras 3 inbound nodes). */
function fromFixtureConfig(name: string): Model {
  const json = execFileSync('unzip', ['-p', join(FIXTURES, name, 'model.keras'), 'config.json']);
  return Model.fromConfig(JSON.parse(json.toString()).config);
}

function structured(names: string[], data: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  const list = names.map((n) => fixtureTensor(data[n] as { data: unknown; dtype?: string }));
  return list.length === 1 ? (list[0] as tf.Tensor) : list;
}

async function checkFixture(name: string, model: Model): Promise<void> {
  const io = readIO(name);
  const weights = await readH5Weights(name);
  for (const layer of model.layers as Layer[]) {
    const w = weights.get(layer.name);
    if (w && w.length > 0) layer.setWeights(w);
  }
  const x = structured(io.input_names, io.inputs);
  const pred = (await model.predict(x, { verbose: 0 })) as tf.Tensor | tf.Tensor[];
  const preds = Array.isArray(pred) ? pred : [pred];
  io.output_names.forEach((n, i) => {
    expect(preds[i]).toBeAllclose((io.outputs[n] as { data: unknown }).data, { atol: 1e-5 });
  });

  const train = io.train as NonNullable<typeof io.train>;
  model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: train.compile_config.loss });
  const tx = structured(io.input_names, train.x as Record<string, unknown>);
  // A single-output fixture stores y itself; a multi-output one a dict by output name.
  const yData = train.y as Record<string, { data: unknown }> & { data?: unknown };
  const ty =
    'data' in yData
      ? fixtureTensor(yData as { data: unknown; dtype?: string })
      : Object.fromEntries(
          io.output_names.map((n) => [n, fixtureTensor(yData[n] as { data: unknown })]),
        );
  for (const expected of train.steps) {
    const got = (await model.trainOnBatch(tx, ty, { returnDict: true })) as Record<string, number>;
    for (const [k, v] of Object.entries(expected)) expect(got[k]).toBeAllclose(v, { atol: 1e-5 });
  }
}

describe.each(Object.keys(builders))('Keras 3 fixture %s built in code', (name) => {
  it('reproduces predict and three train_on_batch losses from the saved weights', async () => {
    await checkFixture(name, (builders[name] as () => Model)());
  });
});

describe.each([
  'a_mlp',
  'b_cnn',
  'c_embedding_lstm',
  'd_embedding_gru',
  'f_two_outputs',
  'g_shared_layer',
  'h1_conv_extras',
  'h2_layernorm_mha',
])('Keras 3 fixture %s rebuilt by Model.fromConfig', (name) => {
  it('reproduces predict and three train_on_batch losses from the saved weights', async () => {
    await checkFixture(name, fromFixtureConfig(name));
  });
});
