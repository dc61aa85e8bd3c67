import * as tf from '@tensorflow/tfjs-core';
import { adaptLoss, alignTarget, type ResolvedLoss } from './loss-fn.js';
import { MeanTracker } from './mean-tracker.js';

/** What `compile({ loss })` accepts. */
export type LossSpec = unknown;
export type LossWeightsSpec = number | number[] | Record<string, number> | null | undefined;

/** Resolves a loss identifier (name, function or Loss object) to a loss; injected by the model. */
export type LossResolver = (id: unknown) => unknown;

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Keras 3's CompileLoss: one loss per output (a single loss applies to every output; a dict is
 * matched by output name; an output without a loss is not trained), each weighted, summed, and
 * tracked as `loss` and, with several losses, `<output>_loss`.
 */
export class CompileLoss {
  /** Per output, in output order: the loss or null. */
  readonly losses: (ResolvedLoss | null)[];
  readonly weights: number[];
  readonly outputNames: string[];
  readonly totalTracker = new MeanTracker('loss');
  readonly outputTrackers: (MeanTracker | null)[];

  constructor(args: {
    loss: LossSpec;
    lossWeights: LossWeightsSpec;
    outputNames: string[];
    resolve: LossResolver;
  }) {
    const { loss, lossWeights, outputNames, resolve } = args;
    this.outputNames = outputNames;
    const n = outputNames.length;
    const make = (id: unknown): ResolvedLoss | null => {
      if (id === null || id === undefined) return null;
      const name = typeof id === 'string' ? id : 'loss';
      return adaptLoss(typeof id === 'string' ? resolve(id) : id, name);
    };
    if (Array.isArray(loss)) {
      if (loss.length !== n) {
        throw new Error(
          `For a model with multiple outputs, when providing the \`loss\` argument as a list, it ` +
            `should have as many entries as the model has outputs (${n}: ${outputNames.join(', ')}). ` +
            `Received: loss=[${loss.map(String).join(', ')}] of length ${loss.length}`,
        );
      }
      this.losses = loss.map(make);
    } else if (isDict(loss)) {
      for (const key of Object.keys(loss)) {
        if (!outputNames.includes(key)) {
          throw new Error(
            `In the dict argument \`loss\`, key '${key}' does not correspond to any model output. ` +
              `Received: loss=${JSON.stringify(Object.keys(loss))}. Expected keys among the output ` +
              `names: ${JSON.stringify(outputNames)}`,
          );
        }
      }
      this.losses = outputNames.map((name) => make(loss[name]));
    } else {
      const one = make(loss);
      this.losses = outputNames.map(() => one);
    }
    if (this.losses.every((l) => l === null)) {
      throw new Error(
        `No loss to compute: expected a loss for at least one output (${outputNames.join(', ')}). ` +
          `Received: loss=${String(loss)}`,
      );
    }
    this.weights = resolveWeights(lossWeights, outputNames);
    const several = this.losses.filter((l) => l !== null).length > 1;
    this.outputTrackers = this.losses.map((l, i) =>
      l !== null && several ? new MeanTracker(`${outputNames[i]}_loss`) : null,
    );
  }

  /** Names of the outputs that need targets. */
  get trainedOutputs(): number[] {
    return this.losses.flatMap((l, i) => (l === null ? [] : [i]));
  }

  /**
   * Per-output losses (unweighted, as Keras logs them) and their weighted sum. `yTrue` holds null for outputs without a loss.
   */
  compute(
    yTrue: (tf.Tensor | null)[],
    yPred: tf.Tensor[],
    sampleWeight: (tf.Tensor | null)[] | null,
  ): { total: tf.Tensor; perOutput: (tf.Tensor | null)[] } {
    const perOutput: (tf.Tensor | null)[] = [];
    let total: tf.Tensor | null = null;
    this.losses.forEach((loss, i) => {
      if (loss === null) {
        perOutput.push(null);
        return;
      }
      const yt = yTrue[i];
      const yp = yPred[i] as tf.Tensor;
      if (yt === null || yt === undefined) {
        throw new Error(
          `Output "${this.outputNames[i]}" has a loss but no target was given for it. Expected ` +
            `targets for: ${this.trainedOutputs.map((j) => this.outputNames[j]).join(', ')}`,
        );
      }
      const value = loss.fn(alignTarget(yt, yp), yp, sampleWeight?.[i] ?? null);
      // Keras logs each output's loss before its loss weight; only the total is weighted.
      perOutput.push(value);
      const w = this.weights[i] as number;
      const weighted = w === 1 ? value : tf.mul(value, w);
      total = total === null ? weighted : tf.add(total, weighted);
    });
    return { total: total as unknown as tf.Tensor, perOutput };
  }

  /** Feeds the trackers (inside the step's tidy). */
  track(total: tf.Tensor, perOutput: (tf.Tensor | null)[], batchSize: number): void {
    this.totalTracker.update(total, batchSize);
    perOutput.forEach((v, i) => {
      const t = this.outputTrackers[i];
      if (t && v) t.update(v, batchSize);
    });
  }

  get trackers(): MeanTracker[] {
    return [this.totalTracker, ...this.outputTrackers.filter((t): t is MeanTracker => t !== null)];
  }

  reset(): void {
    for (const t of this.trackers) t.reset();
  }

  dispose(): void {
    for (const t of this.trackers) t.dispose();
  }
}

function resolveWeights(w: LossWeightsSpec, names: string[]): number[] {
  if (w === null || w === undefined) return names.map(() => 1);
  if (typeof w === 'number') return names.map(() => w);
  if (Array.isArray(w)) {
    if (w.length !== names.length) {
      throw new Error(
        `\`loss_weights\` should have one entry per output (${names.join(', ')}). ` +
          `Received: lossWeights=[${w.join(', ')}]`,
      );
    }
    return [...w];
  }
  for (const key of Object.keys(w)) {
    if (!names.includes(key)) {
      throw new Error(
        `In the dict argument \`loss_weights\`, key '${key}' does not correspond to any model ` +
          `output. Expected keys among: ${JSON.stringify(names)}`,
      );
    }
  }
  return names.map((n) => w[n] ?? 1);
}
