import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import * as engine from '@keras-ts/engine';
import * as layers from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readH5 } from '../h5/h5-read.js';
import { getNode } from '../h5/tree.js';
import { readZip } from '../io/zip.js';
import { loadModel, modelFromJSON } from './load-model.js';
import { saveModel } from './save-model.js';

beforeAll(() => ensureBackend());

type Runnable = { predictOnBatch(x: tf.Tensor): tf.Tensor; weights: { value: tf.Variable }[] };

function nestedModel() {
  const inner = new engine.Sequential([
    new layers.Dense({ units: 3, inputShape: [4], activation: 'tanh' }),
    new layers.BatchNormalization({}),
    new layers.Dense({ units: 2 }),
  ]);
  const input = layers.Input({ shape: [4] });
  const hidden = inner.apply(input) as never;
  const output = new layers.Dense({ units: 1, name: 'head' }).apply(hidden) as never;
  return new engine.Model({ inputs: input, outputs: output });
}

describe('nested models', () => {
  it('a Sequential inside a Functional model saves and reloads in .keras and .h5', async () => {
    const model = nestedModel() as unknown as Runnable;
    // Non-default moving statistics, so a swapped trainable/non-trainable order would show.
    for (const w of model.weights)
      w.value.assign(tf.randomUniform(w.value.shape, 0.5, 1.5, 'float32', 3));
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 7);
    const expected = model.predictOnBatch(x);
    const dir = mkdtempSync(join(tmpdir(), 'kts-nested-'));
    for (const file of ['n.keras', 'n.h5']) {
      await saveModel(model, join(dir, file));
      const back = (await loadModel(join(dir, file))) as unknown as Runnable;
      expect(back.predictOnBatch(x)).toBeAllclose(expected, { atol: 1e-6, rtol: 0 });
    }
    // Keras 3 addresses the inner model's layers inside its own `layers` container.
    const weights = readZip(
      await import('node:fs').then((fs) => fs.readFileSync(join(dir, 'n.keras'))),
      {
        source: 'n.keras',
      },
    ).get('model.weights.h5') as Uint8Array;
    const tree = await readH5(weights, { source: 'n.keras' });
    expect(getNode(tree, 'layers/sequential/layers/batch_normalization/vars/3')?.type).toBe(
      'dataset',
    );
    expect(getNode(tree, 'layers/dense/vars/0')?.type).toBe('dataset');
  });
});

describe('Lambda layers and safe mode', () => {
  const config = {
    class_name: 'Sequential',
    config: {
      name: 'with_lambda',
      layers: [
        { class_name: 'InputLayer', config: { batch_shape: [null, 2], name: 'in' } },
        {
          class_name: 'Lambda',
          config: {
            name: 'double',
            function: {
              class_name: '__lambda__',
              config: { code: 'ZGVmIGYoeCk6IHJldHVybiB4KjI=' },
            },
          },
        },
      ],
    },
  };
  it('refuses a Lambda in safe mode without running anything', () => {
    expect(() => modelFromJSON(JSON.stringify(config))).toThrow(
      /contains a Lambda layer \("double"\).*safeMode: false/s,
    );
  });

  it('never evaluates stored code, even with safeMode: false', () => {
    expect(() => modelFromJSON(JSON.stringify(config), { safeMode: false })).toThrow(
      /modelFromJSON/,
    );
  });

  it('with safeMode: false, uses a function given by name in customObjects', () => {
    const named = structuredClone(config);
    const lambda = named.config.layers[1] as { config: Record<string, unknown> };
    lambda.config.function = {
      module: null,
      class_name: 'function',
      config: 'double_it',
      registered_name: null,
    };
    const doubleIt = (x: tf.Tensor) => tf.mul(x, 2);
    const model = modelFromJSON(JSON.stringify(named), {
      safeMode: false,
      customObjects: { double_it: doubleIt },
    }) as unknown as Runnable;
    expect(model.predictOnBatch(tf.tensor([[1, 2]]))).toBeAllclose([[2, 4]]);
  });
});
