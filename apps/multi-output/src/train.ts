import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';
import { drawSquares, mulberry32, squareBatches, toTensors } from './data.js';
import { buildModel, compileModel } from './model.js';

export interface RunOptions {
  stepsPerEpoch: number;
  epochs: number;
  batchSize: number;
  /** Held-out images for evaluate() before and after training. */
  testSize: number;
  seed: number;
  verbose: 0 | 1 | 2;
}

export interface RunResult {
  model: keras.Model;
  /** `[total, output1_loss, output2_loss, output1_mae, output2_mae]` on the held-out images. */
  before: number[];
  after: number[];
  lossHistory: number[];
  /** Mean absolute error of the predicted centres, in pixels. */
  pixelError: { row: number; col: number };
}

export async function run(opts: RunOptions): Promise<RunResult> {
  await keras.backend.ensureBackend();
  keras.backend.setRandomSeed(opts.seed);
  const model = buildModel();
  compileModel(model);

  // A fixed held-out set, drawn from a different seed than the training stream.
  const test = drawSquares(opts.testSize, mulberry32(opts.seed + 1_000_003));
  const [xTest, yTest] = toTensors(test);
  const before = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];

  const history = await model.fitGenerator(squareBatches(opts.batchSize, opts.seed), {
    stepsPerEpoch: opts.stepsPerEpoch,
    epochs: opts.epochs,
    verbose: opts.verbose,
  });
  const after = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];

  const [rowPred, colPred] = (await model.predict(xTest, { verbose: 0 })) as tf.Tensor[];
  const pixelError = {
    row: meanAbsPixels(rowPred as tf.Tensor, yTest.output1),
    col: meanAbsPixels(colPred as tf.Tensor, yTest.output2),
  };
  tf.dispose([xTest, yTest.output1, yTest.output2, rowPred as tf.Tensor, colPred as tf.Tensor]);
  return {
    model,
    before,
    after,
    lossHistory: (history.history.loss ?? []) as number[],
    pixelError,
  };
}

function meanAbsPixels(pred: tf.Tensor, truth: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(pred, truth))).dataSync()[0] as number) * 28;
}
