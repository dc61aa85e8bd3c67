// Times `fit` the way the benchmark reports it: an epoch-end callback records the clock and
// tf.memory().numTensors, and stops training once the time budget is spent (at least
// MIN_EPOCHS epochs). The first epoch pays one-off costs (kernel set-up, allocator growth), so
// samples/s comes from the epochs after it.
import { Callback } from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';

const MIN_EPOCHS = 4;

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
    this.marks.push({ t: now, numTensors: tf.memory().numTensors });
    if (now - this.start > this.budgetMs && this.marks.length >= MIN_EPOCHS) {
      this.model.stopTraining = true;
    }
  }
}

/**
 * Runs `fitFn(callbacks)` (which must call a fit with those callbacks, verbose 0, many epochs of
 * `samplesPerEpoch` samples) and returns samples/s of the steady epochs and the tensor counts.
 */
export async function timedFit({ fitFn, samplesPerEpoch, budgetMs }) {
  const clock = new EpochClock(budgetMs);
  await fitFn([clock]);
  const marks = clock.marks;
  if (marks.length < 2) throw new Error(`Expected at least 2 epochs. Received: ${marks.length}`);
  const first = marks[0];
  const last = marks.at(-1);
  return {
    epochs: marks.length,
    samplesPerSec: ((marks.length - 1) * samplesPerEpoch) / ((last.t - first.t) / 1000),
    numTensorsPerEpoch: marks.map((m) => m.numTensors),
  };
}

/** Batches per epoch so that an epoch lasts about a sixth of the budget (2 to 60 batches). */
export function batchesForBudget({ perBatchMs, budgetMs }) {
  return Math.max(2, Math.min(60, Math.round(budgetMs / 6 / perBatchMs)));
}
