import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';

type ScaleArgs = ConstructorParameters<typeof keras.Layer>[0] & { l2?: number };

/** y = x * scale, one trainable scale per feature, with an l2 penalty on it. */
export class Scale extends keras.Layer {
  static override className = 'Scale';
  readonly l2: number;
  scale: ReturnType<keras.Layer['addWeight']> | null = null;

  constructor(args: ScaleArgs = {}) {
    super(args);
    this.l2 = args.l2 ?? 0.01;
  }

  override build(inputShape: keras.layers.Shape | keras.layers.Shape[]) {
    const features = (inputShape as keras.layers.Shape).at(-1) as number;
    this.scale = this.addWeight({
      name: 'scale',
      shape: [features],
      initializer: 'ones',
      regularizer: keras.regularizers.l2(this.l2),
      trainable: true,
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]) {
    return tf.mul(inputs as tf.Tensor, this.scale!.read());
  }

  override getConfig() {
    return { ...super.getConfig(), l2: this.l2 };
  }
}
keras.registerKerasSerializable(Scale, { package: 'my_pkg' });

export async function main() {
  const inputs = keras.Input({ shape: [3] });
  const outputs = new Scale({ l2: 0.5, name: 'scale' }).apply(
    inputs,
  ) as keras.layers.SymbolicTensor;
  const model = new keras.Model({ inputs, outputs });
  const penalty = (await model.losses[0]?.data())?.[0]; // 0.5 * (1 + 1 + 1)

  const file = join(mkdtempSync(join(tmpdir(), 'keras-ts-')), 'scaled.keras');
  await model.save(file); // config says "registered_name": "my_pkg>Scale"
  const loaded = (await keras.models.loadModel(file)) as keras.Model; // no customObjects needed
  return { penalty, loadedLayer: loaded.getLayer('scale') };
}
