import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

export async function main() {
  const { ConfigProto, Session, setSession, listDevices } = keras.backend;
  const config = new ConfigProto();
  config.gpuOptions.allowGrowth = true; // dynamically grow the memory used on the GPU
  config.logDevicePlacement = true; // log the device of every op
  config.allowSoftPlacement = true; // fall back to another backend when one is missing
  const placements: string[] = [];
  const sess = new Session({ config, logger: (line) => placements.push(line) });
  await setSession(sess); // K.set_session(sess)

  const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 1]));
  console.log(placements[0]); // BatchMatMul: /job:localhost/replica:0/task:0/device:CPU:0
  return { placements, devices: listDevices(), y: await y.array() };
}
