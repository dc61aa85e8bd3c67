/** CI check (a few seconds): the two branches share one encoder, and training moves it. */
import { run } from './train.js';

const r = await run({
  trainPairs: 1200,
  testPairs: 400,
  epochs: 4,
  batchSize: 64,
  seed: 3,
  verbose: 0,
});
const s = r.sharing;
const failures: string[] = [];
if (s.encoderNodesAdded !== 2)
  failures.push(`expected 2 new encoder nodes, got ${s.encoderNodesAdded}`);
if (s.encoderInLayers !== 1)
  failures.push(`expected the encoder once in layers, got ${s.encoderInLayers}`);
// encoder: 2 Dense x (kernel, bias); head: 1 Dense x (kernel, bias). Unshared would be 10.
if (s.siameseVariables !== 6)
  failures.push(`expected 6 trainable variables, got ${s.siameseVariables}`);
if (s.encoderVariablesShared !== 4) {
  failures.push(`expected the encoder's 4 variables in the model, got ${s.encoderVariablesShared}`);
}
if (!(s.encoderWeightChange > 1e-3))
  failures.push(`encoder weights did not move: ${s.encoderWeightChange}`);
if (!(s.branchMismatch < 1e-5))
  failures.push(`branches disagree with the encoder: ${s.branchMismatch}`);
if (!(r.accuracyAfter > 0.8)) failures.push(`held-out accuracy too low: ${r.accuracyAfter}`);
console.log(
  `siamese smoke: accuracy ${r.accuracyBefore.toFixed(3)} -> ${r.accuracyAfter.toFixed(3)}, shared variables ${s.encoderVariablesShared}/${s.siameseVariables}`,
);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('siamese smoke: ok');
