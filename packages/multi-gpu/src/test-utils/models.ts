import { Model } from '@keras-ts/engine';
import { BatchNormalization, Dense, Input, type SymbolicTensor } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';

/** A seeded 3 -> 4 (tanh) -> 2 regression model, optionally with BatchNormalization. */
export function mlp(seed: number, withBn = false): Model {
  const x = Input({ shape: [3], name: 'features' });
  let h = new Dense({
    units: 4,
    activation: 'tanh',
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed } },
  }).apply(x) as SymbolicTensor;
  if (withBn) h = new BatchNormalization({ momentum: 0.5 }).apply(h) as SymbolicTensor;
  const y = new Dense({
    units: 2,
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed: seed + 1 } },
  }).apply(h) as SymbolicTensor;
  return new Model({ inputs: x, outputs: y });
}

/** Two outputs: 'cls' (2-way softmax) and 'reg' (one linear unit), from one hidden layer. */
export function twoHeads(seed: number): Model {
  const x = Input({ shape: [3], name: 'features' });
  const h = new Dense({
    units: 4,
    activation: 'tanh',
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed } },
  }).apply(x) as SymbolicTensor;
  const cls = new Dense({
    units: 2,
    activation: 'softmax',
    name: 'cls',
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed: seed + 1 } },
  }).apply(h) as SymbolicTensor;
  const reg = new Dense({
    units: 1,
    name: 'reg',
    kernelInitializer: { class_name: 'GlorotUniform', config: { seed: seed + 2 } },
  }).apply(h) as SymbolicTensor;
  return new Model({ inputs: x, outputs: [cls, reg] });
}

/** A copy of `model` (same architecture and weights) made from its config. */
export function sameWeights(from: Model, to: Model): Model {
  const w = from.getWeights();
  to.setWeights(w);
  tf.dispose(w);
  return to;
}

/** 20 rows of 3 features and 2 regression targets, from sin and cos (no randomness). */
export function regressionData(): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.tidy(() => tf.reshape(tf.sin(tf.range(0, 60)), [20, 3])),
    y: tf.tidy(() => tf.reshape(tf.cos(tf.range(0, 40)), [20, 2])),
  };
}
