// The benchmark's three models built with keras-ts (the built packages, as users import them),
// plus synthetic data of a given number of batches. Shared by keras-ts.mjs and replicas.mjs.
import { Sequential } from '@keras-ts/engine';
import { Conv2D, Dense, Flatten, Input, LSTM, MaxPooling2D } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { MODELS } from './shapes.mjs';

/** A fresh, uncompiled Sequential for `name` ('mlp' | 'cnn' | 'lstm'). */
export function buildModel(name) {
  const spec = MODELS[name];
  if (!spec) throw new Error(`Unknown model '${name}'. Expected one of: ${Object.keys(MODELS)}`);
  const input = Input({ shape: spec.input });
  if (name === 'mlp') {
    return new Sequential([
      input,
      new Dense({ units: 256, activation: 'relu' }),
      new Dense({ units: 256, activation: 'relu' }),
      new Dense({ units: 10, activation: 'softmax' }),
    ]);
  }
  if (name === 'cnn') {
    return new Sequential([
      input,
      new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Flatten(),
      new Dense({ units: 128, activation: 'relu' }),
      new Dense({ units: 10, activation: 'softmax' }),
    ]);
  }
  return new Sequential([input, new LSTM({ units: 128 }), new Dense({ units: 1 })]);
}

/** The loss each model trains with (the same in every runner). */
export function lossFor(name) {
  return name === 'lstm' ? 'mean_squared_error' : 'categorical_crossentropy';
}

/** Synthetic inputs and targets: `batches` full batches of `batch` rows (default: the model's). */
export function syntheticData(name, batches, batch = MODELS[name].batch) {
  const spec = MODELS[name];
  const n = batches * batch;
  const x = tf.randomUniform([n, ...spec.input], 0, 1, 'float32', 1);
  const y =
    name === 'lstm'
      ? tf.randomUniform([n, 1], 0, 1, 'float32', 2)
      : tf.tidy(() =>
          tf.oneHot(
            tf.randomUniform([n], 0, spec.classes, 'int32', 3),
            spec.classes,
            1,
            0,
            'float32',
          ),
        );
  return { x, y, n };
}
