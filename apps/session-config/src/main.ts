/**
 * Keras 2's session setup, line for line:
 *
 *   config = tf.ConfigProto()
 *   config.gpu_options.allow_growth = True
 *   config.log_device_placement = True
 *   config.allow_soft_placement = True
 *   K.set_session(tf.Session(config=config))
 *
 * asking for the 'tensorflow' backend. Where @tensorflow/tfjs-node(-gpu) is not installed, soft
 * placement falls back (one line on stderr says so) and the placement log shows where every op
 * ran. A worker thread then does the same, to show the log reaches stderr from there too.
 */
import { Worker } from 'node:worker_threads';
import {
  backendName,
  ConfigProto,
  listDevices,
  ResourceExhaustedError,
  Session,
  setSession,
} from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';

async function main(): Promise<void> {
  const config = new ConfigProto();
  config.gpuOptions.allowGrowth = true;
  config.logDevicePlacement = true;
  config.allowSoftPlacement = true;
  await setSession(new Session({ config, backend: 'tensorflow' }));
  console.log(`backend: ${backendName()}`);
  console.log(
    `devices: ${listDevices()
      .map((d) => `${d.name} (${d.backend})`)
      .join(', ')}`,
  );

  // Each kernel below logs "<Kernel>: /job:localhost/replica:0/task:0/device:<TYPE>:0" to stderr.
  const x = tf.tensor2d([
    [1, 2],
    [3, 4],
  ]);
  const w = tf.tensor2d([[1], [-0.25]]);
  const y = tf.relu(tf.add(tf.matMul(x, w), 1));
  console.log(`relu(x @ w + 1) = ${JSON.stringify(await y.array())}`);

  // Without soft placement the same request is an error that says what to install.
  const strict = new ConfigProto({ allowSoftPlacement: false });
  try {
    await setSession(new Session({ config: strict, backend: 'tensorflow' }));
    console.log(`backend: ${backendName()} (the tensorflow backend is installed)`);
  } catch (e) {
    console.log(`allowSoftPlacement=false: ${(e as Error).message}`);
  }

  // A memory budget: an allocation past it fails, the tensors already made survive.
  await setSession(new Session({ config: { memoryLimitBytes: 4096 }, backend: 'wasm' }));
  try {
    tf.zeros([2048]);
  } catch (e) {
    if (!(e instanceof ResourceExhaustedError)) throw e;
    console.log(
      `memoryLimitBytes=4096: ${e.name}, x still reads ${JSON.stringify(await x.array())}`,
    );
  }

  await runWorker();
}

function runWorker(): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`worker exited with code ${code}`)),
    );
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
