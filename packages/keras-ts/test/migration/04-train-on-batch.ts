import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

export async function main() {
  const model = new keras.Sequential([
    new keras.layers.Dense({
      units: 3,
      useBias: false,
      kernelInitializer: 'ones',
      inputShape: [4],
    }),
  ]);
  model.compile({
    optimizer: new keras.optimizers.SGD({ learningRate: 0.01 }),
    loss: 'mse',
    lossWeights: 0.2,
  });
  const builtBefore = model.trainFunction !== null; // false: built by the first trainOnBatch
  const x = tf.ones([20, 4]);
  const y = tf.zeros([20, 3]);
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    losses.push((await model.trainOnBatch(x, y)) as number);
  }
  return { builtBefore, builtAfter: model.trainFunction !== null, losses };
}
