/**
 * Usage: `pnpm --filter @keras-ts/app-keras-interop start [-- <model.keras|model.h5> [--out dir]]`.
 * Default model: ../shared/fixtures/keras3/a_mlp/model.keras (relative to the repo root).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runInterop } from './interop.js';
import { defaultModel, fromUser } from './paths.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, steps: { type: 'string', default: '3' } },
});
const modelPath = positionals[0] ? fromUser(positionals[0]) : defaultModel;
const outDir = values.out ? fromUser(values.out) : join(tmpdir(), 'keras-ts-interop');
const report = await runInterop({
  modelPath,
  outDir,
  steps: Number(values.steps),
  log: (line) => console.log(line),
});
console.log('\nLoad them back in Python:');
for (const file of report.saved) console.log(`  keras.saving.load_model(${JSON.stringify(file)})`);
