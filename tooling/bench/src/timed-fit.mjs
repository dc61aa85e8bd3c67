// Times `fit` the way the benchmark reports it: an epoch-end callback records the clock and
// tf.memory().numTensors, and stops training once the time budget is spent (at least
// MIN_EPOCHS epochs). The first epoch pays one-off costs (kernel set-up, allocator growth), so
// samples/s comes from the epochs after it.
import { Callback } from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';

const MIN_EPOCHS = 4;

/**
 * Counts tensor reads to the host (dataSync, data, arraySync, array, bufferSync, buffer) from
 * here on: at verbose 0 a fit should make none per batch, only the epoch-end log reads.
 */
export function countHostReads() {
  const counter = { reads: 0 };
  for (const name of ['dataSync', 'data', 'arraySync', 'array', 'bufferSync', 'buffer']) {
    const original = tf.Tensor.prototype[name];
    tf.Tensor.prototype[name] = function (...args) {
      counter.reads += 1;
      return original.apply(this, args);
    };
  }
  return counter;
}

class EpochClock extends Callback {
  constructor(budgetMs) {
    super();
    this.budgetMs = budgetMs;
    this.marks = [];
    this.start = performance.now();
  }
  onTrainBegin() {
    this.start = performance.now();
  }
  onEpochEnd() {
    const now = performance.now();
    this.marks.push({ t: now, numTensors: tf.memory().numTensors, reads: this.reads?.reads ?? 0 });
    if (now - this.start > this.budgetMs && this.marks.length >= MIN_EPOCHS) {
      this.model.stopTraining = true;
    }
  }
}

/**
 * Runs `fitFn(callbacks)` (which must call a fit with those callbacks, verbose 0, many epochs of
 * `samplesPerEpoch` samples) and returns samples/s of the steady epochs and the tensor counts.
 */
export async function timedFit({ fitFn, samplesPerEpoch, budgetMs, reads = null }) {
  const clock = new EpochClock(budgetMs);
  clock.reads = reads;
  await fitFn([clock]);
  const marks = clock.marks;
  if (marks.length < 2) throw new Error(`Expected at least 2 epochs. Received: ${marks.length}`);
  const first = marks[0];
  const last = marks.at(-1);
  return {
    epochs: marks.length,
    samplesPerSec: ((marks.length - 1) * samplesPerEpoch) / ((last.t - first.t) / 1000),
    numTensorsPerEpoch: marks.map((m) => m.numTensors),
    // Host reads between consecutive epoch ends (epoch-end log values included).
    hostReadsPerEpoch: reads
      ? marks.slice(1).map((m, i) => m.reads - (marks[i]?.reads ?? 0))
      : null,
  };
}

/** Batches per epoch so that an epoch lasts about a sixth of the budget (2 to 60 batches). */
export function batchesForBudget({ perBatchMs, budgetMs }) {
  return Math.max(2, Math.min(60, Math.round(budgetMs / 6 / perBatchMs)));
}
