/** CI check (~15 s): a short run must beat the majority class, and padding must be masked. */
import { run } from './train.js';

const r = await run({
  messages: 800,
  testFraction: 0.25,
  vocabSize: 2000,
  maxLen: 40,
  units: 16,
  epochs: 2,
  batchSize: 32,
  seed: 11,
  verbose: 0,
});
const failures: string[] = [];
if (!(r.testAccuracy > r.majorityBaseline)) {
  failures.push(
    `held-out accuracy ${r.testAccuracy} does not beat the majority class ${r.majorityBaseline}`,
  );
}
if (!(r.maskingGap < 1e-5)) failures.push(`padding changed a prediction by ${r.maskingGap}`);
console.log(
  `text-classifier smoke: held-out accuracy ${r.testAccuracy.toFixed(3)} (majority ${r.majorityBaseline.toFixed(3)}), masking gap ${r.maskingGap.toExponential(2)}`,
);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('text-classifier smoke: ok');
