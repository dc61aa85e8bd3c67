import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

function* batchGenerator(batchSize: number) {
  while (true) {
    const xBatch = tf.randomUniform([batchSize, 4]);
    const y1 = tf.sum(xBatch, 1, true);
    const y2 = tf.max(xBatch, 1, true);
    // The loop disposes the tensors a generator makes once their step is done.
    yield [xBatch, { output1: y1, output2: y2 }] as const;
  }
}

export async function main() {
  const features = keras.Input({ shape: [4], name: 'features' });
  const hidden = new keras.layers.Dense({ units: 16, activation: 'relu' }).apply(features);
  const model = new keras.Model({
    inputs: features,
    outputs: [
      new keras.layers.Dense({ units: 1, name: 'output1' }).apply(hidden),
      new keras.layers.Dense({ units: 1, name: 'output2' }).apply(hidden),
    ] as keras.layers.SymbolicTensor[],
  });
  model.compile({
    optimizer: 'adam',
    loss: { output1: 'mean_squared_error', output2: 'mean_squared_error' },
  });
  const history = await model.fitGenerator(batchGenerator(16), {
    stepsPerEpoch: 10,
    epochs: 3,
    verbose: 0,
  });
  return history.history; // { loss: [...], output1_loss: [...], output2_loss: [...] }
}
