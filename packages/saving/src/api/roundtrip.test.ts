import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import * as engine from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { readH5 } from '../h5/h5-read.js';
import type { H5Group } from '../h5/tree.js';
import { readZip } from '../io/zip.js';
import type { ModelLike } from '../model/types.js';
import { loadModel } from './load-model.js';
import { saveModel } from './save-model.js';
import { loadWeights, saveWeights } from './weights-api.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures/keras3`;

beforeAll(() => ensureBackend());

interface Io {
  input_names: string[];
  inputs: Record<string, { shape: number[]; dtype: string; data: unknown }>;
  train?: { x: unknown; y: unknown };
}

type Runnable = ModelLike & {
  predictOnBatch(x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[];
  trainOnBatch(x: unknown, y: unknown): Promise<number | number[]>;
  compile(args: Record<string, unknown>): void;
  save(path: string): Promise<void>;
};

function inputsOf(io: Io): tf.Tensor | tf.Tensor[] {
  const xs = io.input_names.map((n) => {
    const s = io.inputs[n] as Io['inputs'][string];
    return tf.tensor(s.data as number[], s.shape, s.dtype === 'int32' ? 'int32' : 'float32');
  });
  return xs.length === 1 ? (xs[0] as tf.Tensor) : xs;
}

function outputsOf(model: Runnable, x: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  const out = model.predictOnBatch(x);
  return Array.isArray(out) ? out : [out];
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kts-saving-'));
}

function structure(root: H5Group, skip: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (g: H5Group, p: string) => {
    for (const [k, a] of g.attrs)
      if (!skip(`${p}@${k}`)) out.push(`${p}@${k}:${a.kind}[${a.shape}]`);
    for (const [name, c] of g.children) {
      const cp = `${p}/${name}`;
      if (skip(cp)) continue;
      if (c.type === 'group') {
        out.push(`${cp}/`);
        walk(c, cp);
      } else {
        out.push(`${cp}[${c.shape}]${c.dtype}`);
      }
    }
  };
  walk(root, '');
  return out.sort();
}

describe('save and reload in every format: identical predictions', () => {
  for (const name of [
    'a_mlp',
    'c_embedding_lstm',
    'e_batchnorm_dropout',
    'g_shared_layer',
    'h2_layernorm_mha',
  ]) {
    it(name, async () => {
      const io = JSON.parse(readFileSync(`${FIX}/${name}/io.json`, 'utf8')) as Io;
      const x = inputsOf(io);
      const model = (await loadModel(`${FIX}/${name}/model.keras`, { warn: () => {} })) as Runnable;
      const expected = outputsOf(model, x);
      const dir = tmp();
      await saveModel(model, join(dir, 'm.keras'));
      await saveModel(model, join(dir, 'm.h5'));
      await saveModel(model, join(dir, 'model.json'));
      await saveWeights(model, join(dir, 'w.weights.h5'));
      await saveWeights(model, join(dir, 'w.h5'));
      for (const file of ['m.keras', 'm.h5', 'model.json']) {
        const back = (await loadModel(join(dir, file), { warn: () => {} })) as Runnable;
        outputsOf(back, x).forEach((t, i) => {
          expect(t).toBeAllclose(expected[i], { atol: 1e-6, rtol: 0 });
        });
      }
      for (const file of ['w.weights.h5', 'w.h5']) {
        const fresh = (await loadModel(`${FIX}/${name}/model.keras`, {
          warn: () => {},
        })) as Runnable;
        for (const w of fresh.weights) w.value.assign(tf.zerosLike(w.value));
        await loadWeights(fresh, join(dir, file));
        outputsOf(fresh, x).forEach((t, i) => {
          expect(t).toBeAllclose(expected[i], { atol: 1e-6, rtol: 0 });
        });
      }
      // Atomic writes leave no temporary files behind.
      expect(readdirSync(dir).sort()).toEqual([
        'm.h5',
        'm.keras',
        'model.json',
        'model.weights.bin',
        'w.h5',
        'w.weights.h5',
      ]);
    });
  }
});

describe('files have the structure Keras writes', () => {
  it('our .keras holds STORED metadata.json, config.json, model.weights.h5 laid out as Keras 3.15 lays them out', async () => {
    const keras = `${FIX}/h2_layernorm_mha/model.keras`;
    const model = await loadModel(keras, { warn: () => {} });
    const dir = tmp();
    await saveModel(model, join(dir, 'm.keras'));
    const ours = readZip(readFileSync(join(dir, 'm.keras')), { source: 'ours' });
    const theirs = readZip(readFileSync(keras), { source: 'keras' });
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    const oursH5 = await readH5(ours.get('model.weights.h5') as Uint8Array, { source: 'ours' });
    const theirsH5 = await readH5(theirs.get('model.weights.h5') as Uint8Array, {
      source: 'keras',
    });
    // Keras's MHA also tracks a Dropout and a Softmax (`_dropout_layer`, `_softmax`) that hold no
    // variables; keras-ts computes those inline, and Keras loads files without their empty groups.
    const kerasOnly = (p: string) => /\/_(dropout_layer|softmax)(\/|$|@)/.test(p);
    expect(structure(oursH5)).toEqual(structure(theirsH5, kerasOnly));
  });

  it('our legacy .h5 has the root attributes and model_weights layout of Keras 3.15', async () => {
    const keras = `${FIX}/e_batchnorm_dropout/model.h5`;
    const model = await loadModel(keras, { warn: () => {} });
    const dir = tmp();
    await saveModel(model, join(dir, 'm.h5'));
    const ours = await readH5(readFileSync(join(dir, 'm.h5')), { source: 'ours' });
    const theirs = await readH5(readFileSync(keras), { source: 'keras' });
    const noOptimizer = (p: string) => p.startsWith('/optimizer_weights');
    expect(structure(ours, noOptimizer)).toEqual(structure(theirs, noOptimizer));
  });
});

describe('model.save through the engine IO seam', () => {
  it('model.save(path) writes a .keras file that loads back', async () => {
    const model = (await loadModel(`${FIX}/a_mlp/model.keras`, { warn: () => {} })) as Runnable;
    const dir = tmp();
    await model.save(join(dir, 'via-model.keras'));
    const back = await loadModel(join(dir, 'via-model.keras'), { warn: () => {} });
    expect(back.weights.length).toBe(model.weights.length);
  });
});

describe('optimizer state: training resumes exactly', () => {
  it('Adam: loss after save-and-resume equals the loss of an uninterrupted run', async () => {
    type Arr = { shape: number[]; data: number[][] };
    const io = JSON.parse(readFileSync(`${FIX}/a_mlp/io.json`, 'utf8')) as Io & {
      train: { x: Record<string, Arr>; y: Arr };
    };
    const x = tf.tensor((io.train.x.features as Arr).data);
    const y = tf.tensor(io.train.y.data);
    const fresh = async () => {
      const m = (await loadModel(`${FIX}/a_mlp/model.keras`, { compile: false })) as Runnable;
      m.compile({
        optimizer: new engine.optimizers.Adam({ learningRate: 0.01 }),
        loss: 'categorical_crossentropy',
      });
      return m;
    };
    const straight = await fresh();
    const losses: number[] = [];
    for (let i = 0; i < 4; i++) losses.push(Number(await straight.trainOnBatch(x, y)));

    const first = await fresh();
    for (let i = 0; i < 2; i++) await first.trainOnBatch(x, y);
    const dir = tmp();
    await saveModel(first, join(dir, 'ckpt.keras'));
    const resumed = (await loadModel(join(dir, 'ckpt.keras'))) as Runnable;
    expect(resumed.optimizer?.variables.length).toBe(first.optimizer?.variables.length);
    const after = [
      Number(await resumed.trainOnBatch(x, y)),
      Number(await resumed.trainOnBatch(x, y)),
    ];
    expect(after).toBeAllclose(losses.slice(2), { atol: 1e-6, rtol: 1e-6 });
    // The legacy .h5 carries optimizer_weights too.
    await saveModel(first, join(dir, 'ckpt.h5'));
    const fromH5 = (await loadModel(join(dir, 'ckpt.h5'))) as Runnable;
    const afterH5 = [
      Number(await fromH5.trainOnBatch(x, y)),
      Number(await fromH5.trainOnBatch(x, y)),
    ];
    expect(afterH5).toBeAllclose(losses.slice(2), { atol: 1e-6, rtol: 1e-6 });
    // Without the optimizer state Adam restarts its moments: the third loss would differ.
    const noState = (await loadModel(join(dir, 'ckpt.keras'), { compile: false })) as Runnable;
    noState.compile({
      optimizer: new engine.optimizers.Adam({ learningRate: 0.01 }),
      loss: 'categorical_crossentropy',
    });
    await noState.trainOnBatch(x, y);
    const differs = Number(await noState.trainOnBatch(x, y));
    expect(Math.abs(differs - (losses[3] as number))).toBeGreaterThan(1e-5);
  });
});
