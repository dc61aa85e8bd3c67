import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';
import { loadMessages, type Message } from './corpus.js';
import { buildClassifier } from './model.js';
import { padSequences, Vocabulary } from './vocabulary.js';

export interface RunOptions {
  /** Messages drawn from the corpus (train + held-out). */
  messages: number;
  /** Fraction of them held out for the accuracy report. */
  testFraction: number;
  vocabSize: number;
  maxLen: number;
  units: number;
  epochs: number;
  batchSize: number;
  seed: number;
  verbose: 0 | 1 | 2;
}

export interface RunResult {
  model: keras.Model;
  trainCount: number;
  testCount: number;
  /** Held-out accuracy, and that of always answering the majority class. */
  testAccuracy: number;
  majorityBaseline: number;
  /**
   * max |p(message) - p(message + extra padding)| over a few held-out messages: 0 when the mask
   * stops the LSTM at the last real word.
   */
  maskingGap: number;
}

function toTensors(
  msgs: Message[],
  vocab: Vocabulary,
  maxLen: number,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const ids = padSequences(
    msgs.map((m) => vocab.encode(m.tokens)),
    maxLen,
  );
  return {
    x: tf.tensor2d(ids, [msgs.length, maxLen], 'int32'),
    y: tf.tensor2d(
      msgs.map((m) => m.spam),
      [msgs.length, 1],
    ),
  };
}

export async function run(opts: RunOptions): Promise<RunResult> {
  await keras.backend.ensureBackend();
  keras.backend.setRandomSeed(opts.seed);
  const messages = loadMessages({ limit: opts.messages, seed: opts.seed });
  const testCount = Math.round(messages.length * opts.testFraction);
  const trainMsgs = messages.slice(0, messages.length - testCount);
  const testMsgs = messages.slice(messages.length - testCount);
  const vocab = new Vocabulary(
    trainMsgs.map((m) => m.tokens),
    opts.vocabSize,
  );
  const train = toTensors(trainMsgs, vocab, opts.maxLen);
  const test = toTensors(testMsgs, vocab, opts.maxLen);

  const model = buildClassifier({ vocabSize: opts.vocabSize, units: opts.units });
  model.compile({
    optimizer: new keras.optimizers.Adam({ learningRate: 5e-3 }),
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });
  await model.fit(train.x, train.y, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    verbose: opts.verbose,
  });
  const [, testAccuracy] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
  const spamShare = testMsgs.filter((m) => m.spam === 1).length / Math.max(1, testCount);

  const maskingGap = await paddingGap(model, testMsgs.slice(0, 8), vocab, opts.maxLen);
  tf.dispose([train.x, train.y, test.x, test.y]);
  return {
    model,
    trainCount: trainMsgs.length,
    testCount,
    testAccuracy: testAccuracy as number,
    majorityBaseline: Math.max(spamShare, 1 - spamShare),
    maskingGap,
  };
}

/** Predicts each message at its own length and again with 20 more padding ids after it. */
async function paddingGap(
  model: keras.Model,
  msgs: Message[],
  vocab: Vocabulary,
  maxLen: number,
): Promise<number> {
  let gap = 0;
  for (const m of msgs) {
    const ids = vocab.encode(m.tokens).slice(0, maxLen);
    if (ids.length === 0) continue;
    const exact = tf.tensor2d(ids, [1, ids.length], 'int32');
    const padded = tf.tensor2d(
      [...ids, ...new Array<number>(20).fill(0)],
      [1, ids.length + 20],
      'int32',
    );
    const a = (await model.predict(exact, { verbose: 0 })) as tf.Tensor;
    const b = (await model.predict(padded, { verbose: 0 })) as tf.Tensor;
    gap = Math.max(gap, Math.abs((a.dataSync()[0] as number) - (b.dataSync()[0] as number)));
    tf.dispose([exact, padded, a, b]);
  }
  return gap;
}
