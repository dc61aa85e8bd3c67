import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

export async function main() {
  const { Conv2D, Dense, Flatten } = keras.layers;
  const imageInput = keras.Input({ shape: [8, 8, 1], name: 'image_input' });
  let x = new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(imageInput);
  x = new Flatten().apply(x);
  x = new Dense({ units: 16, activation: 'relu' }).apply(x);
  const output1 = new Dense({ units: 1, name: 'output1' }).apply(x) as keras.layers.SymbolicTensor;
  const output2 = new Dense({ units: 1, name: 'output2' }).apply(x) as keras.layers.SymbolicTensor;
  const model = new keras.Model({ inputs: imageInput, outputs: [output1, output2] });

  model.compile({
    optimizer: 'adam',
    loss: { output1: 'mean_squared_error', output2: 'mean_squared_error' },
    lossWeights: { output1: 1, output2: 0.5 },
  });
  const images = tf.randomUniform([32, 8, 8, 1], 0, 1, 'float32', 1);
  const targets = { output1: tf.mean(images, [1, 2]), output2: tf.max(images, [1, 2]) };
  await model.fit(images, targets, { batchSize: 8, epochs: 2, verbose: 0 });
  // [loss, output1_loss, output2_loss]
  const [loss, output1Loss, output2Loss] = (await model.evaluate(images, targets, {
    verbose: 0,
  })) as number[];
  return { model, images, targets, loss, output1Loss, output2Loss };
}
