/**
 * A worker thread with its own tfjs and its own session: the placement log of its ops reaches
 * the process's stderr through the worker's console.
 */
import { ConfigProto, Session, setSession } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';

const config = new ConfigProto({ logDevicePlacement: true, allowSoftPlacement: true });
await setSession(new Session({ config, backend: 'wasm' }));
const s = tf.sigmoid(tf.tensor1d([0]));
console.log(`worker: sigmoid(0) = ${(await s.data())[0]}`);
