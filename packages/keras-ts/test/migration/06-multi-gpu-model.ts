import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

export async function main() {
  const model = new keras.Sequential([
    new keras.layers.Dense({ units: 8, activation: 'tanh', inputShape: [3] }),
    new keras.layers.Dense({ units: 1 }),
  ]);
  // multi_gpu_model(model, gpus=2): without two GPUs this is an error naming the devices.
  let gpuError = '';
  try {
    await keras.utils.multiGpuModel(model, { gpus: 2 });
  } catch (e) {
    gpuError = (e as Error).message;
  }
  // The same data parallelism over CPU workers: one replica per device.
  const parallel = await keras.utils.multiGpuModel(model, { devices: ['/cpu:0', '/cpu:1'] });
  try {
    parallel.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.randomUniform([64, 3], -1, 1, 'float32', 7);
    const y = tf.sum(x, 1, true);
    const history = await parallel.fit(x, y, { batchSize: 16, epochs: 3, verbose: 0 });
    const fromReplicas = (await parallel.predict(x)) as tf.Tensor;
    // The template model holds the trained weights (save this one, as in Keras 2).
    const fromTemplate = (await model.predict(x, { verbose: 0 })) as tf.Tensor;
    return { gpuError, loss: history.history.loss, fromReplicas, fromTemplate };
  } finally {
    await parallel.close();
  }
}
