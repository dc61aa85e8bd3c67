/**
 * Trains the two-output model with fitGenerator on dict targets and reports how well each head
 * finds the square. Run: `pnpm --filter @keras-ts/app-multi-output start`.
 */
import { run } from './train.js';

const result = await run({
  stepsPerEpoch: 60,
  epochs: 4,
  batchSize: 32,
  testSize: 256,
  seed: 7,
  verbose: 1,
});
result.model.summary();
const names = ['loss', 'output1_loss', 'output2_loss', 'output1_mae', 'output2_mae'];
const fmt = (v: number[]) =>
  names.map((n, i) => `${n}=${(v[i] ?? Number.NaN).toFixed(4)}`).join(' ');
console.log(`held-out before training: ${fmt(result.before)}`);
console.log(`held-out after training:  ${fmt(result.after)}`);
console.log(
  `mean centre error: row ${result.pixelError.row.toFixed(2)} px, column ${result.pixelError.col.toFixed(2)} px`,
);
