import { readFileSync } from 'node:fs';
import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readH5 } from '../h5/h5-read.js';
import { writeH5 } from '../h5/h5-write.js';
import { attrString, getNode } from '../h5/tree.js';
import {
  BatchNormalization,
  Dense,
  Dropout,
  FakeOptimizer,
  Functional,
  fillDistinct,
  InputLayer,
  LSTM,
  Sequential,
} from '../test-utils/fake-model.js';
import { walkKeras3 } from './keras3-walk.js';
import { keras3WeightsTree, loadKeras3Weights } from './keras3-weights.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures`;

beforeAll(() => ensureBackend());

function embeddingLstmModel() {
  class Embedding extends Dense {}
  const model = new Functional('lstm_model', [
    new InputLayer('tokens'),
    new Embedding('embed', { embeddings: [20, 6] }),
    new LSTM('lstm', 6, 8),
    new Dense('probs', { kernel: [8, 3], bias: [3] }),
  ]);
  model.optimizer = new FakeOptimizer('sgd');
  return model;
}

describe('walkKeras3', () => {
  it('names containers by class with per-class counters and nests RNN cells', () => {
    const paths = walkKeras3(embeddingLstmModel()).map(
      (e) => `${e.path}:${e.name}:${e.vars.length}`,
    );
    expect(paths).toEqual([
      ':lstm_model:0',
      'layers/input_layer:tokens:0',
      'layers/embedding:embed:1',
      'layers/lstm:lstm:0',
      'layers/lstm/cell:lstm_cell:3',
      'layers/dense:probs:2',
      'optimizer:sgd:2',
    ]);
  });

  it('leaves the InputLayer out of a Sequential, as Keras 3 does', () => {
    const seq = new Sequential('sequential', [
      new InputLayer('input_layer'),
      new Dense('d', { kernel: [2, 2] }),
    ]);
    expect(walkKeras3(seq).map((e) => e.path)).toEqual(['', 'layers/dense']);
  });
});

describe('Keras 3 weights files', () => {
  it('loads the model.weights.h5 written by Keras 3.15 (LSTM under layers/lstm/cell)', async () => {
    const file = `${FIX}/keras3/c_embedding_lstm/model.weights.h5`;
    const root = await readH5(readFileSync(file), { source: file });
    const model = embeddingLstmModel();
    loadKeras3Weights(model, root, { source: file });
    const io = JSON.parse(readFileSync(`${FIX}/keras3/c_embedding_lstm/io.json`, 'utf8'));
    // Cross-check against the legacy .h5 Keras wrote for the same model (addressed by name).
    const legacy = await readH5(readFileSync(`${FIX}/keras3/c_embedding_lstm/model.h5`), {
      source: 'model.h5',
    });
    const rk = getNode(legacy, 'model_weights/lstm/lstm/lstm_cell/recurrent_kernel');
    const lstm = model.layers[2] as LSTM;
    expect(Array.from(lstm.cell.weights[1]?.value.dataSync() ?? [])).toBeAllclose(
      rk?.type === 'dataset' ? Array.from(rk.data) : [],
      {
        atol: 0,
        rtol: 0,
      },
    );
    const summary = io.model_summary.weights as [string, number[]][];
    expect(model.weights.map((w) => [...w.value.shape])).toEqual(summary.map(([, shape]) => shape));
    expect(Array.from(model.optimizer?.variables[1]?.value.dataSync() ?? [])).toEqual([
      Math.fround(0.1),
    ]);
  });

  it('writes the same group/dataset/attribute structure Keras 3.15 wrote for the same model', async () => {
    const file = `${FIX}/keras3/e_batchnorm_dropout/model.weights.h5`;
    const keras = await readH5(readFileSync(file), { source: file });
    class Activation extends Dense {}
    const model = new Functional('bn_dropout', [
      new InputLayer('features'),
      new Dense('dense1', { kernel: [6, 8], bias: [8] }),
      new BatchNormalization('bn', {
        gamma: [8],
        beta: [8],
        moving_mean: [8],
        moving_variance: [8],
      }),
      new Activation('relu'),
      new Dropout('dropout'),
      new Dense('logits', { kernel: [8, 4], bias: [4] }),
    ]);
    model.optimizer = new FakeOptimizer('sgd');
    const ours = await readH5(await writeH5(keras3WeightsTree(model)), { source: 'ours' });
    expect(structure(ours)).toEqual(structure(keras));
    expect(attrString(getNode(ours, 'layers/batch_normalization/vars') as never, 'name')).toBe(
      'bn',
    );
  });

  it('round-trips values through our own writer', async () => {
    const a = embeddingLstmModel();
    fillDistinct(a.weights);
    const b = embeddingLstmModel();
    loadKeras3Weights(b, await readH5(await writeH5(keras3WeightsTree(a)), { source: 'mem' }), {
      source: 'mem',
    });
    a.weights.forEach((w, i) => {
      expect(b.weights[i]?.value).toBeAllclose(w.value, { atol: 0, rtol: 0 });
    });
  });

  it('reads tf.keras 2.13-2.15 archives, whose container is _layer_checkpoint_dependencies', async () => {
    const a = new Functional('m', [new Dense('d', { kernel: [2, 3], bias: [3] })]);
    fillDistinct(a.weights);
    const written = keras3WeightsTree(a);
    // Rename the `layers` container the way tf.keras 2.13-2.15 named it.
    const container = written.children.get('layers');
    written.children.delete('layers');
    if (container) written.children.set('_layer_checkpoint_dependencies', container);
    const b = new Functional('m', [new Dense('d', { kernel: [2, 3], bias: [3] })]);
    loadKeras3Weights(b, await readH5(await writeH5(written), { source: 'tfk2.14' }), {
      source: 'tfk2.14',
    });
    expect(b.weights[1]?.value).toBeAllclose(a.weights[1]?.value, { atol: 0, rtol: 0 });
  });

  it('refuses a file missing layer weights, naming the object, and assigns nothing', async () => {
    const file = `${FIX}/real/keras3_keras/k3.13_custom_subclass_adam_state_bugged.keras`;
    const { readZip } = await import('../io/zip.js');
    const root = await readH5(
      readZip(readFileSync(file), { source: file }).get('model.weights.h5') as Uint8Array,
      {
        source: file,
      },
    );
    class CustomLayer extends Dense {}
    const model = new Functional('test_model', [
      new CustomLayer('test_layer', { kernel: [32, 64] }),
    ]);
    expect(() => loadKeras3Weights(model, root, { source: 'bugged.keras' })).toThrow(
      /"bugged.keras".*"layers\/custom_layer" \(CustomLayer "test_layer"\) expects 1 variables. Received: 0/s,
    );
    expect(Array.from(model.weights[0]?.value.dataSync() ?? []).every((v) => v === 0)).toBe(true);
  });
});

function structure(root: Awaited<ReturnType<typeof readH5>>): string[] {
  const out: string[] = [];
  const walk = (g: typeof root, p: string) => {
    for (const [k, a] of g.attrs) out.push(`${p}@${k}:${a.kind}`);
    for (const [name, c] of g.children) {
      const cp = `${p}/${name}`;
      if (c.type === 'group') walk(c, cp);
      else out.push(`${cp}[${c.shape}]${c.dtype}`);
    }
  };
  walk(root, '');
  return out.sort();
}
