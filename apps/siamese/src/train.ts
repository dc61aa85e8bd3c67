import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';
import { FEATURES, makeCentres, makePairs, mulberry32, type Pairs } from './data.js';
import { buildSiamese } from './model.js';

export interface RunOptions {
  trainPairs: number;
  testPairs: number;
  epochs: number;
  batchSize: number;
  seed: number;
  verbose: 0 | 1 | 2;
}

export interface SharingReport {
  /** Inbound nodes the two calls added to the encoder (2: one per branch). */
  encoderNodesAdded: number;
  /** How often the encoder appears in the siamese model's layers (1). */
  encoderInLayers: number;
  /** The siamese model's trainable variables, and how many of them are the encoder's own. */
  siameseVariables: number;
  encoderVariablesShared: number;
  /** Largest change of any encoder weight during training (> 0: training moved the one set). */
  encoderWeightChange: number;
  /** |siamese.predict - head(encoder.predict(left) * encoder.predict(right))|, max. */
  branchMismatch: number;
}

export interface RunResult {
  siamese: keras.Model;
  encoder: keras.Model;
  accuracyBefore: number;
  accuracyAfter: number;
  sharing: SharingReport;
}

function pairTensors(p: Pairs): { x: [tf.Tensor2D, tf.Tensor2D]; y: tf.Tensor2D } {
  return {
    x: [tf.tensor2d(p.left, [p.count, FEATURES]), tf.tensor2d(p.right, [p.count, FEATURES])],
    y: tf.tensor2d(p.same, [p.count, 1]),
  };
}

export async function run(opts: RunOptions): Promise<RunResult> {
  await keras.backend.ensureBackend();
  keras.backend.setRandomSeed(opts.seed);
  const random = mulberry32(opts.seed);
  const centres = makeCentres(6, random);
  const train = pairTensors(makePairs({ count: opts.trainPairs, centres, noise: 0.9, random }));
  const test = pairTensors(makePairs({ count: opts.testPairs, centres, noise: 0.9, random }));

  const { encoder, siamese, encoderNodesBefore } = buildSiamese();
  siamese.compile({
    optimizer: new keras.optimizers.Adam({ learningRate: 1e-2 }),
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });

  const encoderVars = new Set(encoder.trainableWeights);
  const before = encoder.getWeights().map((w) => tf.clone(w));
  const [, accuracyBefore] = (await siamese.evaluate(test.x, test.y, { verbose: 0 })) as number[];
  await siamese.fit(train.x, train.y, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    shuffle: true,
    verbose: opts.verbose,
  });
  const [, accuracyAfter] = (await siamese.evaluate(test.x, test.y, { verbose: 0 })) as number[];

  const after = encoder.getWeights();
  const encoderWeightChange = Math.max(
    ...after.map((w, i) =>
      tf.tidy(() => tf.max(tf.abs(tf.sub(w, before[i] as tf.Tensor))).dataSync()[0] as number),
    ),
  );
  tf.dispose(before);

  const sharing: SharingReport = {
    encoderNodesAdded: encoder.inboundNodes.length - encoderNodesBefore,
    encoderInLayers: siamese.layers.filter((l) => l === encoder).length,
    siameseVariables: siamese.trainableWeights.length,
    encoderVariablesShared: siamese.trainableWeights.filter((v) => encoderVars.has(v)).length,
    encoderWeightChange,
    branchMismatch: await branchMismatch(siamese, encoder, test.x),
  };
  tf.dispose([...train.x, train.y, ...test.x, test.y]);
  return {
    siamese,
    encoder,
    accuracyBefore: accuracyBefore as number,
    accuracyAfter: accuracyAfter as number,
    sharing,
  };
}

/**
 * Recomputes the siamese output by hand from the standalone encoder: if both branches really use
 * the encoder's (trained) variables, the product + the `same` head on `encoder.predict` of each side
 * gives the siamese model's prediction.
 */
async function branchMismatch(
  siamese: keras.Model,
  encoder: keras.Model,
  [left, right]: [tf.Tensor2D, tf.Tensor2D],
): Promise<number> {
  const eLeft = (await encoder.predict(left, { verbose: 0 })) as tf.Tensor;
  const eRight = (await encoder.predict(right, { verbose: 0 })) as tf.Tensor;
  const full = (await siamese.predict([left, right], { verbose: 0 })) as tf.Tensor;
  const [kernel, bias] = siamese.getLayer('same').getWeights() as [tf.Tensor, tf.Tensor];
  const mismatch = tf.tidy(() => {
    const product = tf.mul(eLeft, eRight);
    const byHand = tf.sigmoid(tf.add(tf.matMul(product, kernel), bias));
    return tf.max(tf.abs(tf.sub(byHand, full))).dataSync()[0] as number;
  });
  tf.dispose([eLeft, eRight, full]);
  return mismatch;
}
