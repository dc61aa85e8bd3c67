/**
 * ```python
 * words = Input(shape=(None,), dtype='int32', name='words')
 * x = Embedding(vocab_size, 32, mask_zero=True)(words)
 * x = LSTM(32)(x)
 * spam = Dense(1, activation='sigmoid', name='spam')(x)
 * model = Model(words, spam)
 * ```
 * The time axis is `None`, so one trained model reads messages of any length.
 */
import * as keras from 'keras-ts';

export function buildClassifier(opts: { vocabSize: number; units: number }): keras.Model {
  const { Dense, Embedding, LSTM } = keras.layers;
  const words = keras.Input({ shape: [null], dtype: 'int32', name: 'words' });
  const embedded = new Embedding({
    inputDim: opts.vocabSize,
    outputDim: 32,
    maskZero: true,
  }).apply(words);
  const encoded = new LSTM({ units: opts.units }).apply(embedded);
  const spam = new Dense({ units: 1, activation: 'sigmoid', name: 'spam' }).apply(
    encoded,
  ) as keras.layers.SymbolicTensor;
  return new keras.Model({ inputs: words, outputs: spam, name: 'spam_classifier' });
}
