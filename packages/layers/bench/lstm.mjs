// Recurrent training benchmark on the wasm backend: LSTM(128), GRU(128) and SimpleRNN(128) over
// 50 steps of 32 features, batch 64, trained with a raw loop (tf.variableGrads + SGD).
// For each layer it times keras-ts's whole-sequence op ("fused"), then the same layer with the
// fast path switched off (the generic per-step loop the layer used before: "per-step"), then the
// same model in @tensorflow/tfjs-layers 4.22 where it has one. All in one process, so the ratios
// are comparable even on a noisy machine; absolute numbers are not.
// Run after building the package: `pnpm --filter @keras-ts/layers build && node bench/lstm.mjs`.
// BENCH_STEPS sets the timed batches per run, BENCH_LAYERS a comma list (simple_rnn,lstm,gru; SimpleRNN first, before tfjs-layers is imported: its bundle re-registers tfjs-core's gradients).
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { GRU } from '../dist/rnn/gru.js';
import { LSTM } from '../dist/rnn/lstm.js';
import { SimpleRNN } from '../dist/rnn/simple-rnn.js';

const BATCH = 64;
const TIME = 50;
const FEATURES = 32;
const UNITS = 128;
const WARMUP = 2;
const STEPS = Number(process.env.BENCH_STEPS ?? 8);
const LAYERS = (process.env.BENCH_LAYERS ?? 'simple_rnn,lstm,gru').split(',');
const LR = 0.01;

await ensureBackend('wasm');
console.log(
  `backend: ${tf.getBackend()}; ${UNITS} units, batch ${BATCH}, ${TIME} steps x ${FEATURES} features`,
);

const x = tf.randomNormal([BATCH, TIME, FEATURES], 0, 1, 'float32', 1);
const y = tf.randomNormal([BATCH, 1], 0, 1, 'float32', 2);

function time(label, trainStep) {
  for (let i = 0; i < WARMUP; i++) trainStep();
  const start = performance.now();
  let loss = 0;
  for (let i = 0; i < STEPS; i++) loss = trainStep();
  const seconds = (performance.now() - start) / 1000;
  const rate = (STEPS * BATCH) / seconds;
  console.log(
    `  ${label}: ${rate.toFixed(1)} samples/s (${((seconds / STEPS) * 1000).toFixed(1)} ms/batch, last loss ${loss.toFixed(4)})`,
  );
  return rate;
}

function trainer(apply, vars) {
  return () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(apply(), y))), vars);
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], LR)));
      return value.dataSync()[0];
    });
}

function kerasTs(Layer, { fused }) {
  const layer = new Layer({ units: UNITS });
  layer.apply(tf.zeros([BATCH, TIME, FEATURES]));
  // Without its whole-sequence op the layer steps its cell through the generic taped loop.
  if (!fused) layer.cell.runSequence = () => null;
  const head = tf.variable(tf.randomNormal([UNITS, 1], 0, 0.1, 'float32', 3));
  const vars = [...layer.trainableWeights.map((w) => w.read()), head];
  return trainer(() => tf.matMul(layer.apply(x, { training: true }), head), vars);
}

async function tfjsLayers(kind) {
  let tfl;
  try {
    tfl = await import('@tensorflow/tfjs-layers');
  } catch (e) {
    console.log(`  tfjs-layers not available (${e.message}); skipping the comparison`);
    return null;
  }
  const model = tfl.sequential();
  // Orthogonal (tfjs-layers' default recurrent initializer) calls chained ops that tfjs-core alone lacks.
  const args = {
    units: UNITS,
    inputShape: [TIME, FEATURES],
    recurrentInitializer: 'glorotUniform',
  };
  model.add(kind === 'lstm' ? tfl.layers.lstm(args) : tfl.layers.gru(args));
  model.add(tfl.layers.dense({ units: 1 }));
  const vars = model.trainableWeights.map((w) => w.read());
  return trainer(() => model.apply(x, { training: true }), vars);
}

const layers = { lstm: LSTM, gru: GRU, simple_rnn: SimpleRNN };
for (const kind of LAYERS) {
  const Layer = layers[kind];
  if (!Layer) throw new Error(`Unknown BENCH_LAYERS entry. Received: ${kind}`);
  console.log(`${Layer.className}:`);
  const fused = time('keras-ts fused', kerasTs(Layer, { fused: true }));
  const loop = time('keras-ts per-step', kerasTs(Layer, { fused: false }));
  console.log(`  fused vs per-step: ${(fused / loop).toFixed(2)}x`);
  if (kind !== 'simple_rnn') {
    const theirs = await tfjsLayers(kind);
    if (theirs) {
      const rate = time('tfjs-layers', theirs);
      console.log(`  fused vs tfjs-layers: ${(fused / rate).toFixed(2)}x`);
    }
  }
}
