/** CI check (a few seconds): a short fitGenerator run on dict targets must lower both heads' loss. */
import { run } from './train.js';

const result = await run({
  stepsPerEpoch: 12,
  epochs: 2,
  batchSize: 16,
  testSize: 64,
  seed: 7,
  verbose: 0,
});
const failures: string[] = [];
const [total0, a0, b0] = result.before;
const [total1, a1, b1] = result.after;
if (result.lossHistory.length !== 2) {
  failures.push(`expected 2 epochs of loss history, got ${JSON.stringify(result.lossHistory)}`);
}
if (!result.lossHistory.every(Number.isFinite)) failures.push('a loss was not finite');
if (!(total1! < total0!)) failures.push(`total loss did not drop: ${total0} -> ${total1}`);
if (!(a1! < a0!)) failures.push(`output1 loss did not drop: ${a0} -> ${a1}`);
if (!(b1! < b0!)) failures.push(`output2 loss did not drop: ${b0} -> ${b1}`);
if (result.model.outputNames.join(',') !== 'output1,output2') {
  failures.push(`expected outputs output1,output2, got ${result.model.outputNames}`);
}
console.log(`multi-output smoke: loss ${total0?.toFixed(4)} -> ${total1?.toFixed(4)}`);
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('multi-output smoke: ok');
