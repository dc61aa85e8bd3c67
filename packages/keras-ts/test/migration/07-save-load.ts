import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

export async function main() {
  const model = new keras.Sequential([
    new keras.layers.Dense({ units: 4, activation: 'relu', inputShape: [3] }),
    new keras.layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  const dir = mkdtempSync(join(tmpdir(), 'keras-ts-'));
  const x = tf.randomUniform([5, 3], 0, 1, 'float32', 3);
  const expected = (await model.predict(x, { verbose: 0 })) as tf.Tensor;

  await model.save(join(dir, 'model.keras')); // Keras 3 archive
  await model.save(join(dir, 'model.h5')); // legacy HDF5, readable by Keras 2 and 3
  await model.saveWeights(join(dir, 'model.weights.h5'));

  const fromKeras = await keras.models.loadModel(join(dir, 'model.keras'));
  const fromH5 = await keras.models.loadModel(join(dir, 'model.h5'));
  const twin = new keras.Sequential([
    new keras.layers.Dense({ units: 4, activation: 'relu', inputShape: [3] }),
    new keras.layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  await twin.loadWeights(join(dir, 'model.weights.h5'));

  const predictions = await Promise.all(
    [fromKeras, fromH5, twin].map((m) => (m as keras.Model).predict(x, { verbose: 0 })),
  );
  return { dir, expected, predictions: predictions as tf.Tensor[] };
}
