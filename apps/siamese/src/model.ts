/**
 * The Keras siamese pattern: ONE encoder model called on two inputs. Calling a layer (or a model)
 * twice adds a second inbound node and reuses its variables, so both branches read and train the
 * same weights.
 *
 * ```python
 * enc_in = Input(shape=(16,))
 * encoder = Model(enc_in, Dense(8)(Dense(32, activation='relu')(enc_in)), name='encoder')
 * left, right = Input(shape=(16,), name='left'), Input(shape=(16,), name='right')
 * product = Multiply()([encoder(left), encoder(right)])
 * same = Dense(1, activation='sigmoid', name='same')(product)
 * siamese = Model([left, right], same)
 * ```
 */
import * as keras from 'keras-ts';
import { FEATURES } from './data.js';

type Sym = keras.layers.SymbolicTensor;

export interface Siamese {
  encoder: keras.Model;
  siamese: keras.Model;
  /** Inbound nodes the encoder had before the siamese graph used it. */
  encoderNodesBefore: number;
}

export function buildSiamese(): Siamese {
  const { Dense, Multiply } = keras.layers;
  const encIn = keras.Input({ shape: [FEATURES], name: 'encoder_input' });
  const hidden = new Dense({ units: 32, activation: 'relu' }).apply(encIn);
  const embedding = new Dense({ units: 8, name: 'embedding' }).apply(hidden) as Sym;
  const encoder = new keras.Model({ inputs: encIn, outputs: embedding, name: 'encoder' });
  const encoderNodesBefore = encoder.inboundNodes.length;

  const left = keras.Input({ shape: [FEATURES], name: 'left' });
  const right = keras.Input({ shape: [FEATURES], name: 'right' });
  // A learned weighted inner product of the two embeddings.
  const product = new Multiply().apply([encoder.apply(left) as Sym, encoder.apply(right) as Sym]);
  const same = new Dense({ units: 1, activation: 'sigmoid', name: 'same' }).apply(product) as Sym;
  const siamese = new keras.Model({ inputs: [left, right], outputs: same, name: 'siamese' });
  return { encoder, siamese, encoderNodesBefore };
}
