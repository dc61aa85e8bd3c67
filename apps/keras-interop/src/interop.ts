/**
 * The round trip: load a Keras-written model, predict, fine-tune, save for Python as `.keras` and
 * `.h5`, load both back and compare. Where the fixture carries Keras's own numbers (`io.json`),
 * predictions and fine-tuning losses are compared with them too.
 */
import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as keras from 'keras-ts';
import { type KerasReference, readReference, tensorsInOrder } from './reference.js';

export interface InteropOptions {
  modelPath: string;
  outDir: string;
  /** Fine-tuning steps when the file has no recorded Keras training run. */
  steps: number;
  log: (line: string) => void;
}

export interface InteropReport {
  /** max |keras-ts predict - Keras predict| on Keras's inputs (null without io.json). */
  predictVsKeras: number | null;
  /** keras-ts fine-tuning losses, and Keras's for the same steps (if recorded). */
  losses: number[];
  kerasLosses: number[] | null;
  /** max |outputs after fine-tuning - Keras's outputs after the same steps| (if recorded). */
  fineTunedVsKeras: number | null;
  saved: string[];
  /** max |reloaded predict - fine-tuned predict| per saved file (0: bit-identical weights). */
  reloadDiffs: Record<string, number>;
}

type Outputs = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

function outputList(o: Outputs, names: string[]): tf.Tensor[] {
  if (o instanceof tf.Tensor) return [o];
  if (Array.isArray(o)) return o;
  return names.map((n) => o[n] as tf.Tensor);
}

/** The total loss out of trainOnBatch's scalar, `[loss, ...]` list or `{ loss, ... }` dict. */
function totalLoss(r: number | number[] | Record<string, number>): number {
  if (typeof r === 'number') return r;
  return (Array.isArray(r) ? r[0] : r.loss) ?? Number.NaN;
}

function maxAbsDiff(a: tf.Tensor[], b: tf.Tensor[]): number {
  return Math.max(
    ...a.map((t, i) =>
      tf.tidy(() => tf.max(tf.abs(tf.sub(t, b[i] as tf.Tensor))).dataSync()[0] as number),
    ),
  );
}

/** Inputs for a model without io.json: uniform floats in the shape of each input (batch 4). */
function drawInputs(model: keras.Model): tf.Tensor[] {
  return model.inputs.map((s, i) => {
    const shape = [4, ...s.shape.slice(1).map((d) => d ?? 8)];
    return s.dtype === 'int32'
      ? tf.randomUniform(shape, 1, 8, 'int32', i + 1)
      : tf.randomUniform(shape, 0, 1, 'float32', i + 1);
  });
}

export async function runInterop(opts: InteropOptions): Promise<InteropReport> {
  await keras.backend.ensureBackend();
  const { log } = opts;
  const ref: KerasReference | null = readReference(opts.modelPath);
  const model = (await keras.models.loadModel(opts.modelPath)) as unknown as keras.Model;
  log(`loaded ${opts.modelPath}: ${model.name}, ${model.countParams()} parameters`);
  log(`inputs ${model.inputNames.join(', ')}; outputs ${model.outputNames.join(', ')}`);

  const x = ref ? tensorsInOrder(ref.inputs, model.inputNames) : drawInputs(model);
  const feed = x.length === 1 ? (x[0] as tf.Tensor) : x;
  let predictVsKeras: number | null = null;
  const first = outputList(await model.predict(feed, { verbose: 0 }), model.outputNames);
  if (ref) {
    predictVsKeras = maxAbsDiff(first, tensorsInOrder(ref.outputs, model.outputNames));
    log(`predict vs. Keras's own predict: max |diff| = ${predictVsKeras.toExponential(2)}`);
  }
  tf.dispose(first);

  // Fine-tune: Keras's recorded procedure (SGD, its loss, trainOnBatch on its x/y) when there is
  // one, so the losses can be compared step by step; otherwise a few steps towards the model's
  // own outputs plus noise with mean squared error.
  const losses: number[] = [];
  let kerasLosses: number[] | null = null;
  let fineTunedVsKeras: number | null = null;
  const train = ref?.train;
  if (train) {
    model.compile({
      optimizer: new keras.optimizers.SGD({ learningRate: train.optimizer.config.learning_rate }),
      loss: train.compile_config.loss,
    });
    const tx = tensorsInOrder(train.x, model.inputNames);
    const ty = tensorsInOrder(train.y, model.outputNames);
    const xs = tx.length === 1 ? (tx[0] as tf.Tensor) : tx;
    const ys = ty.length === 1 ? (ty[0] as tf.Tensor) : ty;
    for (let s = 0; s < train.loss_values.length; s++) {
      const r = await model.trainOnBatch(xs, ys);
      losses.push(totalLoss(r));
    }
    kerasLosses = train.loss_values;
    const tuned = outputList(await model.predict(feed, { verbose: 0 }), model.outputNames);
    fineTunedVsKeras = maxAbsDiff(
      tuned,
      tensorsInOrder(train.outputs_after_training, model.outputNames),
    );
    tf.dispose([...tx, ...ty, ...tuned]);
    log(`fine-tuning losses: ${losses.map((l) => l.toFixed(6)).join(', ')}`);
    log(`Keras's losses:     ${kerasLosses.map((l) => l.toFixed(6)).join(', ')}`);
    log(`outputs after fine-tuning vs. Keras's: max |diff| = ${fineTunedVsKeras.toExponential(2)}`);
  } else {
    model.compile({ optimizer: new keras.optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    const target = outputList(await model.predict(feed, { verbose: 0 }), model.outputNames).map(
      (t, i) => tf.tidy(() => tf.add(t, tf.randomNormal(t.shape, 0, 0.1, 'float32', 100 + i))),
    );
    for (let s = 0; s < opts.steps; s++) {
      const r = await model.trainOnBatch(feed, target.length === 1 ? target[0] : target);
      losses.push(totalLoss(r));
    }
    tf.dispose(target);
    log(
      `fine-tuning losses (mse towards noisy outputs): ${losses.map((l) => l.toFixed(6)).join(', ')}`,
    );
  }

  const tuned = outputList(await model.predict(feed, { verbose: 0 }), model.outputNames);
  mkdirSync(opts.outDir, { recursive: true });
  const stem = basename(opts.modelPath, extname(opts.modelPath));
  const saved = [
    join(opts.outDir, `${stem}.finetuned.keras`),
    join(opts.outDir, `${stem}.finetuned.h5`),
  ];
  const reloadDiffs: Record<string, number> = {};
  for (const file of saved) {
    await model.save(file);
    const back = (await keras.models.loadModel(file)) as unknown as keras.Model;
    const again = outputList(await back.predict(feed, { verbose: 0 }), back.outputNames);
    reloadDiffs[file] = maxAbsDiff(again, tuned);
    log(`saved ${file}; reloaded predict vs. fine-tuned: max |diff| = ${reloadDiffs[file]}`);
    tf.dispose(again);
    back.dispose();
  }
  tf.dispose([...x, ...tuned]);
  model.dispose();
  return { predictVsKeras, losses, kerasLosses, fineTunedVsKeras, saved, reloadDiffs };
}
