// LSTM(128) over 50 steps of 32 features, batch 64, trained on the wasm backend with a raw loop
// (tf.variableGrads + SGD) through keras-ts's LSTM, then the same model in @tensorflow/tfjs-layers
// 4.22 on the same backend. Prints samples/s for each and the ratio.
// Run after building the package: `pnpm --filter @keras-ts/layers build && node bench/lstm.mjs`.
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { LSTM } from '../dist/rnn/lstm.js';

const BATCH = 64;
const TIME = 50;
const FEATURES = 32;
const UNITS = 128;
const WARMUP = 2;
const STEPS = Number(process.env.BENCH_STEPS ?? 8);
const LR = 0.01;

await ensureBackend('wasm');
console.log(
  `backend: ${tf.getBackend()}; LSTM(${UNITS}), batch ${BATCH}, ${TIME} steps x ${FEATURES} features`,
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
    `${label}: ${rate.toFixed(1)} samples/s (${((seconds / STEPS) * 1000).toFixed(1)} ms/batch, last loss ${loss.toFixed(4)})`,
  );
  return rate;
}

function kerasTs() {
  const lstm = new LSTM({ units: UNITS });
  lstm.apply(tf.zeros([BATCH, TIME, FEATURES]));
  const head = tf.variable(tf.randomNormal([UNITS, 1], 0, 0.1, 'float32', 3));
  const vars = [...lstm.trainableWeights.map((w) => w.read()), head];
  return () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.square(tf.sub(tf.matMul(lstm.apply(x, { training: true }), head), y))),
        vars,
      );
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], LR)));
      return value.dataSync()[0];
    });
}

async function tfjsLayers() {
  let tfl;
  try {
    tfl = await import('@tensorflow/tfjs-layers');
  } catch (e) {
    console.log(`tfjs-layers not available (${e.message}); skipping the comparison`);
    return null;
  }
  const model = tfl.sequential();
  // Orthogonal (tfjs-layers' default recurrent initializer) calls chained ops that tfjs-core alone lacks.
  model.add(
    tfl.layers.lstm({
      units: UNITS,
      inputShape: [TIME, FEATURES],
      recurrentInitializer: 'glorotUniform',
    }),
  );
  model.add(tfl.layers.dense({ units: 1 }));
  const vars = model.trainableWeights.map((w) => w.read());
  return () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }), y))),
        vars,
      );
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], LR)));
      return value.dataSync()[0];
    });
}

const ours = time('keras-ts LSTM', kerasTs());
const theirsStep = await tfjsLayers();
if (theirsStep) {
  const theirs = time('tfjs-layers LSTM', theirsStep);
  console.log(`speedup: ${(ours / theirs).toFixed(2)}x`);
}
