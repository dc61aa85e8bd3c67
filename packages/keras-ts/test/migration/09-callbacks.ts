import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

export async function main() {
  const model = new keras.Sequential([new keras.layers.Dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: new keras.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const x = tf.randomUniform([64, 2], -1, 1, 'float32', 5);
  const y = tf.matMul(x, tf.tensor2d([[2], [-3]]));

  const best = join(mkdtempSync(join(tmpdir(), 'keras-ts-')), 'best.keras');
  const seen: number[] = [];
  const history = await model.fit(x, y, {
    epochs: 30,
    batchSize: 16,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: [
      new keras.callbacks.EarlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 1e-3 }),
      new keras.callbacks.ModelCheckpoint({
        filepath: best,
        monitor: 'val_loss',
        saveBestOnly: true,
      }),
      new keras.callbacks.LambdaCallback({
        onEpochEnd: (epoch) => {
          seen.push(epoch);
        },
      }),
    ],
  });
  return { epochs: history.epoch, seen, valLoss: history.history.val_loss ?? [], best };
}
