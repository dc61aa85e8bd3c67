import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

class NoisyLine extends keras.utils.Sequence {
  epochsSeen = 0;
  constructor(
    readonly batches: number,
    readonly batchSize: number,
  ) {
    super();
  }
  get length() {
    return this.batches;
  }
  getItem(index: number): [tf.Tensor, tf.Tensor] {
    return tf.tidy(() => {
      const x = tf.add(tf.randomUniform([this.batchSize, 1], 0, 1, 'float32', index), index);
      return [x, tf.add(tf.mul(x, 2), 1)]; // y = 2x + 1
    });
  }
  override onEpochEnd() {
    this.epochsSeen += 1;
  }
}

export async function main() {
  const model = new keras.Sequential([new keras.layers.Dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: 0.1 }), loss: 'mse' });
  const data = new NoisyLine(8, 16);
  const history = await model.fit(data, undefined, { epochs: 4, verbose: 0 });
  return { epochsSeen: data.epochsSeen, loss: history.history.loss };
}
