/**
 * Trains the Embedding(maskZero) + LSTM spam classifier on a sample of the SpamAssassin corpus
 * and prints held-out accuracy. Run: `pnpm --filter @keras-ts/app-text-classifier start`
 * (append `-- --messages 6046 --epochs 4` for the whole corpus).
 */
import { parseArgs } from 'node:util';
import { run } from './train.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '3000' },
    epochs: { type: 'string', default: '2' },
  },
});
const r = await run({
  messages: Number(values.messages),
  testFraction: 0.2,
  vocabSize: 5000,
  maxLen: 100,
  units: 32,
  epochs: Number(values.epochs),
  batchSize: 32,
  seed: 11,
  verbose: 1,
});
r.model.summary();
console.log(`trained on ${r.trainCount} messages, held out ${r.testCount}`);
console.log(
  `held-out accuracy: ${(100 * r.testAccuracy).toFixed(1)}% (always answering the majority class: ${(100 * r.majorityBaseline).toFixed(1)}%)`,
);
console.log(
  `prediction change from 20 extra padding ids (masked): ${r.maskingGap.toExponential(2)}`,
);
