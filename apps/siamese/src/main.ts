/**
 * Trains a siamese similarity model and shows that its two branches are one encoder.
 * Run: `pnpm --filter @keras-ts/app-siamese start`.
 */
import { run } from './train.js';

const r = await run({
  trainPairs: 4000,
  testPairs: 1000,
  epochs: 8,
  batchSize: 64,
  seed: 3,
  verbose: 1,
});
r.siamese.summary();
const s = r.sharing;
console.log(`encoder inbound nodes added by the siamese graph: ${s.encoderNodesAdded}`);
console.log(`encoder listed in siamese.layers: ${s.encoderInLayers} time(s)`);
console.log(
  `siamese trainable variables: ${s.siameseVariables}, of which the encoder's own: ${s.encoderVariablesShared}`,
);
console.log(
  `largest change of an encoder weight while training: ${s.encoderWeightChange.toFixed(4)}`,
);
console.log(
  `siamese.predict vs. head(encoder(left) * encoder(right)): ${s.branchMismatch.toExponential(2)}`,
);
console.log(
  `held-out pair accuracy: ${(100 * r.accuracyBefore).toFixed(1)}% before, ${(100 * r.accuracyAfter).toFixed(1)}% after training`,
);
