/**
 * The Keras 2 model this app reproduces:
 *
 * ```python
 * image_input = Input(shape=(28, 28, 1), name='image_input')
 * x = Conv2D(8, (5, 5))(image_input)
 * x = Activation('relu')(x)
 * x = Flatten()(x)
 * x = Dense(50, kernel_regularizer=regularizers.l2(0.0001))(x)
 * x = Activation('relu')(x)
 * output1 = Dense(1, name='output1')(x)
 * output2 = Dense(1, name='output2')(x)
 * model = Model(inputs=image_input, outputs=[output1, output2])
 * model.compile(optimizer='adam', loss={'output1': 'mean_squared_error',
 *                                       'output2': 'mean_squared_error'})
 * ```
 */
import * as keras from 'keras-ts';
import { IMAGE_SIZE } from './data.js';

export function buildModel(): keras.Model {
  const { Activation, Conv2D, Dense, Flatten } = keras.layers;
  const imageInput = keras.Input({ shape: [IMAGE_SIZE, IMAGE_SIZE, 1], name: 'image_input' });
  let x = new Conv2D({ filters: 8, kernelSize: 5 }).apply(imageInput);
  x = new Activation({ activation: 'relu' }).apply(x);
  x = new Flatten().apply(x);
  x = new Dense({ units: 50, kernelRegularizer: keras.regularizers.l2(0.0001) }).apply(x);
  x = new Activation({ activation: 'relu' }).apply(x);
  const output1 = new Dense({ units: 1, name: 'output1' }).apply(x) as keras.layers.SymbolicTensor;
  const output2 = new Dense({ units: 1, name: 'output2' }).apply(x) as keras.layers.SymbolicTensor;
  return new keras.Model({ inputs: imageInput, outputs: [output1, output2] });
}

export function compileModel(model: keras.Model, learningRate = 1e-3): void {
  model.compile({
    optimizer: new keras.optimizers.Adam({ learningRate }),
    loss: { output1: 'mean_squared_error', output2: 'mean_squared_error' },
    metrics: { output1: ['mae'], output2: ['mae'] },
  });
}
