/**
 * CI check: three Keras-written fixtures (a .keras MLP, a legacy .h5 two-output CNN, a .keras
 * Embedding+LSTM) go through the whole round trip, checked against Keras's recorded numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInterop } from './interop.js';
import { repoRoot } from './paths.js';

const fixtures = ['a_mlp/model.keras', 'f_two_outputs/model.h5', 'c_embedding_lstm/model.keras'];
const outDir = mkdtempSync(join(tmpdir(), 'keras-interop-smoke-'));
const failures: string[] = [];
try {
  for (const f of fixtures) {
    const modelPath = resolve(repoRoot, '../shared/fixtures/keras3', f);
    const r = await runInterop({
      modelPath,
      outDir: join(outDir, f.split('/')[0] as string),
      steps: 3,
      log: () => {},
    });
    const tag = (what: string) => `${f}: ${what}`;
    if (r.predictVsKeras === null || !(r.predictVsKeras < 1e-5)) {
      failures.push(tag(`predict differs from Keras by ${r.predictVsKeras}`));
    }
    if (!r.kerasLosses) failures.push(tag('no recorded Keras training run'));
    r.kerasLosses?.forEach((k, i) => {
      const ours = r.losses[i] ?? Number.NaN;
      if (!(Math.abs(ours - k) <= 1e-4 + 1e-4 * Math.abs(k))) {
        failures.push(tag(`step ${i} loss ${ours}, Keras ${k}`));
      }
    });
    if (r.fineTunedVsKeras === null || !(r.fineTunedVsKeras < 1e-4)) {
      failures.push(tag(`fine-tuned outputs differ from Keras's by ${r.fineTunedVsKeras}`));
    }
    for (const [file, diff] of Object.entries(r.reloadDiffs)) {
      if (diff !== 0) failures.push(tag(`${file} reloads with predictions off by ${diff}`));
    }
    console.log(
      `keras-interop smoke: ${f}: predict ${r.predictVsKeras?.toExponential(1)}, losses ${r.losses.map((l) => l.toFixed(5))}, reload ${Object.values(r.reloadDiffs)}`,
    );
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('keras-interop smoke: ok');
