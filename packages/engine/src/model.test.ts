import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import { Add, type CallArgs, Concatenate, Dense, Input, Layer, Masking } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Functional, Model } from './model.js';
import './register.js';
import { Sequential } from './sequential.js';
import { FIXTURES } from './test-utils/keras-fixtures.js';

beforeAll(() => ensureBackend());

function kerasConfig(name: string): Record<string, unknown> {
  const json = execFileSync('unzip', ['-p', join(FIXTURES, name, 'model.keras'), 'config.json']);
  return JSON.parse(json.toString()) as Record<string, unknown>;
}

describe('functional Model', () => {
  it('is a Functional built from inputs/outputs, with Keras layer order and output names', () => {
    const a = Input({ shape: [5], name: 'in_a' });
    const b = Input({ shape: [5], name: 'in_b' });
    const shared = new Dense({ units: 4, name: 'shared' });
    const ha = shared.apply(a) as never;
    const hb = shared.apply(b) as never;
    const cat = new Concatenate({ name: 'cat' }).apply([ha, hb]) as never;
    const out = new Dense({ units: 2, name: 'head' }).apply(cat) as never;
    const model = new Model({ inputs: [a, b], outputs: out, name: 'm' });
    expect(model).toBeInstanceOf(Functional);
    expect(model).toBeInstanceOf(Model);
    expect(model.layers.map((l) => l.name)).toEqual(['in_a', 'in_b', 'shared', 'cat', 'head']);
    expect(model.inputNames).toEqual(['in_a', 'in_b']);
    expect(model.outputNames).toEqual(['head']);
    // Shared layer: its two weights once, then the head's.
    expect(model.weights.map((w) => w.path)).toEqual([
      'shared/kernel',
      'shared/bias',
      'head/kernel',
      'head/bias',
    ]);
    expect(model.countParams()).toBe(5 * 4 + 4 + 8 * 2 + 2);
  });

  it('predicts without compile, from lists, dicts and nested arrays', async () => {
    const a = Input({ shape: [2], name: 'x1' });
    const b = Input({ shape: [2], name: 'x2' });
    const sum = new Add({ name: 'sum' }).apply([a, b]) as never;
    const model = new Model({ inputs: { x1: a, x2: b }, outputs: sum });
    const x1 = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const x2 = [
      [10, 20],
      [30, 40],
      [50, 60],
    ];
    const out = (await model.predict({ x1, x2 }, { batchSize: 2, verbose: 0 })) as tf.Tensor;
    expect(out).toBeAllclose([
      [11, 22],
      [33, 44],
      [55, 66],
    ]);
    const list = (await model.predict([x1, x2], { verbose: 0 })) as tf.Tensor;
    expect(list).toBeAllclose([
      [11, 22],
      [33, 44],
      [55, 66],
    ]);
    await expect(model.predict({ x1, nope: x2 }, { verbose: 0 })).rejects.toThrow(
      /Input name "nope" does not match any model input. Expected keys: \["x1","x2"\]/,
    );
  });

  it('passes strings through an identity model (Keras 2 seed workflow 5)', async () => {
    const x = Input({ shape: [2], dtype: 'string' });
    const model = new Model({ inputs: x, outputs: x });
    const data = [
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ];
    const out = (await model.predict(data, { verbose: 0, batchSize: 2 })) as tf.Tensor;
    expect(out.dtype).toBe('string');
    expect(out.shape).toEqual([3, 2]);
    expect(out.arraySync()).toEqual(data);
    const one = model.predictOnBatch(data) as tf.Tensor;
    expect(one.arraySync()).toEqual(data);
  });

  it('returns one tensor per output, and a dict for dict outputs', async () => {
    const x = Input({ shape: [3] });
    const o1 = new Dense({ units: 1, name: 'o1', kernelInitializer: 'ones' }).apply(x) as never;
    const o2 = new Dense({ units: 2, name: 'o2', kernelInitializer: 'ones' }).apply(x) as never;
    const listModel = new Model({ inputs: x, outputs: [o1, o2] });
    const outs = (await listModel.predict([[1, 2, 3]], { verbose: 0 })) as tf.Tensor[];
    expect(outs[0]).toBeAllclose([[6]]);
    expect(outs[1]).toBeAllclose([[6, 6]]);
    const dictModel = new Model({ inputs: x, outputs: { first: o1, second: o2 } });
    expect(dictModel.outputNames).toEqual(['first', 'second']);
    const d = (await dictModel.predict([[1, 1, 1]], { verbose: 0 })) as Record<string, tf.Tensor>;
    expect(d.second).toBeAllclose([[3, 3]]);
  });

  it('nests a model as a layer and shares its weights', async () => {
    const inner_in = Input({ shape: [2] });
    const inner = new Model({
      inputs: inner_in,
      outputs: new Dense({ units: 2, kernelInitializer: 'ones', name: 'inner_dense' }).apply(
        inner_in,
      ) as never,
      name: 'inner',
    });
    const x = Input({ shape: [2] });
    const y = inner.apply(inner.apply(x) as never) as never;
    const outer = new Model({ inputs: x, outputs: y });
    expect(outer.layers.map((l) => l.name)).toContain('inner');
    expect(outer.weights).toHaveLength(2);
    const out = (await outer.predict([[1, 2]], { verbose: 0 })) as tf.Tensor;
    expect(out).toBeAllclose([[6, 6]]);
  });

  it('rejects a wrong input shape naming expected and received', async () => {
    const x = Input({ shape: [3], name: 'feat' });
    const model = new Model({ inputs: x, outputs: new Dense({ units: 1 }).apply(x) as never });
    await expect(model.predict([[1, 2]], { verbose: 0 })).rejects.toThrow(
      /expected shape=\(None, 3\), found shape=\(1, 2\)/,
    );
  });

  it('carries masks from Masking to the layers after it', async () => {
    class MaskedSum extends Layer {
      override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
        const x = inputs as tf.Tensor;
        const m = args.mask as tf.Tensor | undefined;
        if (!m) return tf.sum(x, 1);
        return tf.sum(tf.mul(x, tf.expandDims(tf.cast(m, 'float32'), -1)), 1);
      }
      override computeOutputShape(s: (number | null)[]): (number | null)[] {
        return [s[0] as number | null, s[2] as number | null];
      }
    }
    const x = Input({ shape: [3, 1] });
    const masked = new Masking({ maskValue: 5 }).apply(x) as never;
    const model = new Model({ inputs: x, outputs: new MaskedSum().apply(masked) as never });
    const out = (await model.predict([[[1], [5], [2]]], { verbose: 0 })) as tf.Tensor;
    // The timestep equal to maskValue is masked out: 1 + 2, not 8.
    expect(out).toBeAllclose([[3]]);
  });

  it('reports a disconnected graph', () => {
    const a = Input({ shape: [2] });
    const b = Input({ shape: [2] });
    const s = new Add().apply([a, b]) as never;
    expect(() => new Model({ inputs: a, outputs: s })).toThrow(/Graph disconnected/);
  });
});

describe('configs', () => {
  it('rebuilds the Keras 3 shared-layer fixture and writes the same graph back', () => {
    const cfg = kerasConfig('g_shared_layer');
    const model = Model.fromConfig(cfg.config as never);
    expect(model.layers.map((l) => l.name)).toEqual([
      'input_a',
      'input_b',
      'shared_dense',
      'concat',
      'add',
      'concat2',
      'out',
    ]);
    const back = model.getConfig() as Record<string, unknown>;
    const original = cfg.config as Record<string, unknown>;
    expect(back.input_layers).toEqual(original.input_layers);
    expect(back.output_layers).toEqual(original.output_layers);
    const nodes = (c: Record<string, unknown>) =>
      (c.layers as { name: string; inbound_nodes: unknown }[]).map((l) => [
        l.name,
        l.inbound_nodes,
      ]);
    expect(nodes(back)).toEqual(nodes(original));
    expect(JSON.parse(model.toJSON()).class_name).toBe('Functional');
  });

  it('round-trips nested Functional and Sequential models through getConfig / fromConfig', async () => {
    const innerIn = Input({ shape: [3] });
    const inner = new Model({
      inputs: innerIn,
      outputs: new Dense({ units: 4, activation: 'tanh' }).apply(innerIn) as never,
      name: 'inner_block',
    });
    const seq = new Sequential({
      layers: [new Dense({ units: 2, inputShape: [4] })],
      name: 'seq_block',
    });
    const x = Input({ shape: [3], name: 'x' });
    const outer = new Model({ inputs: x, outputs: seq.apply(inner.apply(x) as never) as never });
    const config = JSON.parse(JSON.stringify(outer.getConfig()));
    expect((config.layers as { class_name: string }[]).map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Functional',
      'Sequential',
    ]);
    const rebuilt = Model.fromConfig(config);
    rebuilt.setWeights(outer.getWeights());
    const data = [
      [0.1, -0.2, 0.3],
      [1, 2, 3],
    ];
    const a = (await outer.predict(data, { verbose: 0 })) as tf.Tensor;
    const b = (await rebuilt.predict(data, { verbose: 0 })) as tf.Tensor;
    expect(b).toBeAllclose(a);
  });

  it('reads Keras 2 inbound nodes ([[name, node, tensor, kwargs]])', async () => {
    const keras2 = {
      name: 'model_1',
      layers: [
        {
          name: 'input_1',
          class_name: 'InputLayer',
          config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'input_1' },
          inbound_nodes: [],
        },
        {
          name: 'dense_1',
          class_name: 'Dense',
          config: {
            name: 'dense_1',
            units: 2,
            kernel_initializer: { class_name: 'Ones', config: {} },
          },
          inbound_nodes: [[['input_1', 0, 0, {}]]],
        },
      ],
      input_layers: [['input_1', 0, 0]],
      output_layers: [['dense_1', 0, 0]],
    };
    const model = Model.fromConfig(keras2 as never);
    expect(model.layers.map((l) => l.name)).toEqual(['input_1', 'dense_1']);
    const out = (await model.predict([[1, 2, 3]], { verbose: 0 })) as tf.Tensor;
    expect(out).toBeAllclose([[6, 6]]);
  });

  it('round-trips a Keras 3 Sequential config (InputLayer first, build_input_shape)', () => {
    const json = execFileSync('unzip', [
      '-p',
      join(FIXTURES, '../real/keras3_keras/k3.8_masking_lstm.keras'),
      'config.json',
    ]);
    const cfg = JSON.parse(json.toString()).config as Record<string, unknown>;
    const [inputLayer] = cfg.layers as Record<string, unknown>[];
    const dense = {
      module: 'keras.layers',
      class_name: 'Dense',
      config: { name: 'head', units: 4, activation: 'relu' },
      registered_name: null,
    };
    const model = Sequential.fromConfig({ ...cfg, layers: [inputLayer, dense] } as never);
    expect(model.layers.map((l) => l.name)).toEqual(['head']);
    expect(model.outputs[0]?.shape).toEqual([2, 3, 4]);
    const back = model.getConfig();
    expect(back.build_input_shape).toEqual(cfg.build_input_shape);
    expect((back.layers as { class_name: string }[]).map((l) => l.class_name)).toEqual([
      'InputLayer',
      'Dense',
    ]);
    const inputConfig = (back.layers as { config: Record<string, unknown> }[])[0]?.config;
    expect(inputConfig).toMatchObject({
      batch_shape: [2, 3, 2],
      dtype: 'float32',
      name: 'input_layer',
    });
  });
});

describe('Sequential', () => {
  it('builds at once with inputShape, supports add/pop, and defers without it', async () => {
    const seq = new Sequential([new Dense({ units: 3, inputShape: [4], name: 'd1' })]);
    expect(seq.built).toBe(true);
    seq.add(new Dense({ units: 2, name: 'd2' }));
    expect(seq.layers.map((l) => l.name)).toEqual(['d1', 'd2']);
    expect(seq.outputs[0]?.shape).toEqual([null, 2]);
    seq.pop();
    expect(seq.outputs[0]?.shape).toEqual([null, 3]);

    const deferred = new Sequential();
    deferred.add(new Dense({ units: 2, kernelInitializer: 'ones', name: 'late' }));
    expect(deferred.built).toBe(false);
    expect(deferred.weights).toHaveLength(0);
    const out = (await deferred.predict([[1, 2, 3]], { verbose: 0 })) as tf.Tensor;
    expect(out).toBeAllclose([[6, 6]]);
    expect(deferred.built).toBe(true);
    expect(deferred.inputs[0]?.shape).toEqual([null, 3]);
  });

  it('accepts Input() as its first entry (Keras 3)', () => {
    const seq = new Sequential([
      Input({ shape: [4] }),
      new Dense({ units: 2, name: 'after_input' }),
    ]);
    expect(seq.built).toBe(true);
    expect(seq.layers.map((l) => l.name)).toEqual(['after_input']);
    expect(seq.inputs[0]?.shape).toEqual([null, 4]);
  });

  it('rejects duplicate names and non-layers', () => {
    const seq = new Sequential([new Dense({ units: 1, name: 'dup', inputShape: [1] })]);
    expect(() => seq.add(new Dense({ units: 1, name: 'dup' }))).toThrow(/unique names/);
    expect(() => seq.add({} as Layer)).toThrow(/Only instances of Layer/);
  });
});

describe('summary', () => {
  it('prints the Keras 3 table for a sequential-like model', () => {
    const seq = new Sequential([new Dense({ units: 10, inputShape: [4], name: 'dense' })]);
    const lines: string[] = [];
    seq.summary({ printFn: (l) => lines.push(l) });
    expect(lines[0]).toBe(`Model: "${seq.name}"`);
    expect(lines.every((l) => l.length === 88 || !/^[┏┃┡│└]/.test(l))).toBe(true);
    expect(lines.some((l) => /^│ dense \(Dense\) +│ \(None, 10\) +│ +50 │$/.test(l))).toBe(true);
    expect(lines.slice(-3)).toEqual([
      ' Total params: 50 (200.00 B)',
      ' Trainable params: 50 (200.00 B)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
  });

  it('adds the Connected to column for graphs that branch', () => {
    const cfg = kerasConfig('g_shared_layer');
    const model = Model.fromConfig(cfg.config as never);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    const text = lines.join('\n');
    expect(text).toContain('Connected to');
    expect(text).toContain('input_a[0][0]');
    expect(text).toContain('shared_dense[1][0]');
    expect(lines.find((l) => l.startsWith(' Total params'))).toBe(' Total params: 50 (200.00 B)');
  });
});

describe('IO seam', () => {
  it('asks for @keras-ts/saving when no handler is registered', async () => {
    const { unregisterModelIO } = await import('./io-registry.js');
    unregisterModelIO();
    const x = Input({ shape: [1] });
    const model = new Model({ inputs: x, outputs: x });
    await expect(model.save('m.keras')).rejects.toThrow(
      "Saving models needs '@keras-ts/saving': add `import '@keras-ts/saving'` (or import 'keras-ts')",
    );
  });

  it('delegates save, saveWeights and loadWeights to the registered handlers', async () => {
    const { registerModelIO, unregisterModelIO } = await import('./io-registry.js');
    const calls: string[] = [];
    registerModelIO({
      save: async (_m, p) => void calls.push(`save ${p}`),
      saveWeights: async (_m, p) => void calls.push(`saveWeights ${p}`),
      loadWeights: async (_m, p) => void calls.push(`loadWeights ${p}`),
    });
    const x = Input({ shape: [1] });
    const model = new Model({ inputs: x, outputs: x });
    await model.save('a.keras');
    await model.saveWeights('b.weights.h5');
    await model.loadWeights('c.weights.h5');
    expect(calls).toEqual(['save a.keras', 'saveWeights b.weights.h5', 'loadWeights c.weights.h5']);
    unregisterModelIO();
  });
});
