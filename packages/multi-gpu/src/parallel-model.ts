import { seededRandom } from '@keras-ts/backend';
import {
  type Callback,
  CallbackList,
  type CallbackModel,
  type CompileArgs,
  History,
  type LogSource,
  type Logs,
  lazyLogs,
  type Model,
  optimizers,
  ProgbarLogger,
  resolveLogs,
} from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';
import { concatRows, fromHost, type HostArray, sliceRows, takeRows, toHost } from './codec.js';
import type { ReplicaDevice } from './devices.js';
import { sampleWeightsToHost, toHostList } from './host-data.js';
import type { OkReply, SerializedCompile } from './protocol.js';
import { sliceBounds } from './split.js';
import type { ReplicaTransport } from './transport.js';

export interface ParallelFitOptions {
  batchSize?: number;
  epochs?: number;
  verbose?: 0 | 1 | 2;
  shuffle?: boolean;
  callbacks?: Callback[];
  initialEpoch?: number;
  sampleWeight?: tf.Tensor | number[];
  validationData?: [unknown, unknown];
  /** Seed of the per-epoch shuffle. */
  seed?: number;
}

export type Data = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor> | number[] | number[][];

function weightLength(vars: { shape: readonly (number | null)[] }[]): number {
  return vars.reduce((s, v) => s + v.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0);
}

/**
 * The replicas' outputs of one step concatenated in rank order (replicas with an empty slice
 * send none): the whole batch's predictions, as Keras 2 merged them on the CPU.
 */
function mergeOutputs(replies: OkReply[]): HostArray[] {
  const parts = replies.filter((r) => r.outputs && r.outputs.length > 0);
  const first = parts[0]?.outputs ?? [];
  return first.map((_, k) =>
    concatRows(parts.map((p) => (p.outputs as HostArray[])[k] as HostArray)),
  );
}

/**
 * Keras 2's multi_gpu_model result: compiles, trains, evaluates and predicts like a Model, with
 * one replica per device. Each batch is split in N slices (the last takes the remainder), each
 * replica computes the gradients of its slice, the gradients are averaged (weighted by slice
 * size, so the step equals one step on the whole batch) and every replica applies the same
 * update. The template model keeps the weights: save it, not this object.
 */
export class ParallelModel {
  private compiled: SerializedCompile | null = null;
  private ready: Promise<void> | null = null;
  stopTraining = false;

  constructor(
    readonly template: Model,
    readonly devices: ReplicaDevice[],
    private readonly pool: ReplicaTransport,
    private readonly initDone: Promise<void>,
  ) {}

  /** Like Model.compile; the loss must be named (functions cannot be sent to a replica). */
  compile(args: CompileArgs): void {
    const { optimizer = 'rmsprop', loss, lossWeights } = args;
    const checkLoss = (l: unknown, where: string) => {
      if (typeof l === 'function') {
        throw new Error(
          `multiGpuModel replicas run in other threads or processes and cannot receive the loss function given for ${where}; pass a Keras loss name (e.g. 'categorical_crossentropy') instead.`,
        );
      }
    };
    if (Array.isArray(loss)) {
      for (const [i, l] of loss.entries()) checkLoss(l, `output ${i}`);
    } else if (loss && typeof loss === 'object' && !('call' in (loss as object))) {
      for (const [k, l] of Object.entries(loss)) checkLoss(l, `output '${k}'`);
    } else checkLoss(loss, 'the model');
    const opt = optimizers.get(optimizer as never);
    if (!opt) throw new Error(`Could not interpret optimizer identifier: ${String(optimizer)}`);
    this.compiled = {
      optimizer: optimizers.serialize(opt) as unknown as Record<string, unknown>,
      loss:
        typeof loss === 'object' && loss !== null && 'getConfig' in (loss as object)
          ? (loss as { name?: string }).name
          : loss,
      lossWeights,
    };
    // The template is compiled too (with its own optimizer) so evaluate() matches Keras.
    this.template.compile({
      ...args,
      optimizer: optimizers.deserialize(this.compiled.optimizer as never),
    });
    const extras = this.pool.prepareCompile(
      weightLength(this.template.trainableWeights) +
        weightLength(this.template.nonTrainableWeights),
      weightLength(this.template.weights),
    );
    const compiled = this.compiled;
    this.ready = this.initDone.then(() =>
      this.pool.all({ type: 'compile', compile: compiled, ...extras }).then(() => {}),
    );
    this.ready.catch(() => {});
  }

  /** The last setWeights' transfer to the replicas (requests after it must follow it). */
  private pendingWeights: Promise<void> = Promise.resolve();

  private async whenReady(): Promise<void> {
    if (!this.ready)
      throw new Error(
        'You must compile the parallel model before training or testing it. Use `parallel.compile({optimizer, loss})`.',
      );
    await this.ready;
    await this.pendingWeights;
  }

  /**
   * One synchronous data-parallel step on a batch. Returns the batch loss and, when asked, the
   * replicas' training-mode predictions concatenated in order (one array per output).
   */
  private async step(
    x: HostArray[],
    y: HostArray[],
    sw: HostArray | null,
    wantOutputs = false,
  ): Promise<{ losses: Record<string, number>; outputs: HostArray[] | null }> {
    const rows = x[0]?.shape[0] ?? 0;
    const bounds = sliceBounds(rows, this.pool.size);
    const replies = await Promise.all(
      bounds.map(({ start, size }, rank) => {
        const xs = x.map((a) => sliceRows(a, start, size));
        const ys = y.map((a) => sliceRows(a, start, size));
        const s = sw ? sliceRows(sw, start, size) : null;
        return this.pool.request(
          rank,
          {
            type: 'train',
            x: xs,
            y: ys,
            sampleWeight: s,
            scale: rows ? size / rows : 0,
            wantOutputs,
          },
          [...xs, ...ys, ...(s ? [s] : [])],
        );
      }),
    );
    // Each replica's losses are already scaled by its share of the batch: the sums are the
    // batch's losses. Keras's order: the total, then one per output.
    const losses: Record<string, number> = { loss: 0 };
    for (const r of replies) {
      losses.loss = (losses.loss as number) + (r.loss ?? 0);
      for (const [k, v] of Object.entries(r.outputLosses ?? {})) losses[k] = (losses[k] ?? 0) + v;
    }
    return { losses, outputs: wantOutputs ? mergeOutputs(replies) : null };
  }

  /** Puts a flat weight vector (template.weights order) into the template. */
  private setTemplate(flat: Float32Array): void {
    const vars = this.template.weights;
    let o = 0;
    const values = vars.map((v) => {
      const n = v.shape.reduce((p: number, d) => p * (d ?? 1), 1);
      const t = tf.tensor(flat.subarray(o, o + n), v.shape as number[]);
      o += n;
      return t;
    });
    this.template.setWeights(values);
    tf.dispose(values);
  }

  /**
   * Copies the weights of the last completed step into the template (after a failure too: the
   * transports keep or rescue them), if any step completed since the last copy.
   */
  private async syncTemplate(): Promise<void> {
    const flat = await this.pool.committedWeights();
    if (flat) this.setTemplate(flat);
  }

  /**
   * Updates the template's compiled metrics with one batch: targets and the replicas' merged
   * predictions (Keras 2's multi_gpu_model computed metrics on the merged outputs).
   */
  private updateMetrics(y: HostArray[], yPred: HostArray[], sw: HostArray | null): void {
    const { metrics } = this.template.requireCompiled().ensure(this.template.outputNames);
    tf.tidy(() => {
      const weights = sw ? fromHost(sw) : null;
      metrics.update(y.map(fromHost), yPred.map(fromHost), weights ? y.map(() => weights) : null);
    });
  }

  /**
   * The mean losses so far and the compiled metrics' current values, in Keras's log order, read
   * only when a callback looks (`resolveLogs` reads them all with one asynchronous download).
   */
  private metricLogs(losses: Record<string, number>): Logs {
    const current = this.template.compiled?.current;
    return lazyLogs([
      ...Object.entries(losses).map(([k, v]): [string, LogSource] => [k, () => v]),
      ...(current?.metrics.readers() ?? []),
    ]);
  }

  /** `fit(x, y, {batchSize, epochs, ...})` over the replicas; History of epoch means. */
  async fit(x: Data, y: Data, options: ParallelFitOptions = {}): Promise<History> {
    const {
      batchSize = 32,
      epochs = 1,
      verbose = 1,
      shuffle = true,
      initialEpoch = 0,
      seed = 1337,
    } = options;
    await this.whenReady();
    const xs = await toHostList(x, this.template.inputNames, 'x');
    const ys = await toHostList(y, this.template.outputNames, 'y');
    const sw = options.sampleWeight ? await sampleWeightsToHost(options.sampleWeight) : null;
    const n = xs[0]?.shape[0] ?? 0;
    for (const a of [...xs, ...ys]) {
      if (a.shape[0] !== n)
        throw new Error(
          `Data cardinality is ambiguous: x has ${n} samples, but another array has ${a.shape[0]}.`,
        );
    }
    const history = new History();
    const list = new CallbackList([
      ...(options.callbacks ?? []),
      ...(verbose ? [new ProgbarLogger()] : []),
      history,
    ]);
    const steps = Math.ceil(n / batchSize);
    list.setModel(this as unknown as CallbackModel);
    list.setParams({ epochs, steps, verbose });
    this.stopTraining = false;
    const withMetrics =
      this.template.requireCompiled().ensure(this.template.outputNames).metrics.size > 0;
    const rand = seededRandom(seed);
    await list.onTrainBegin();
    try {
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        this.template.resetMetrics();
        await list.onEpochBegin(epoch);
        const order = Int32Array.from({ length: n }, (_, i) => i);
        if (shuffle) {
          for (let i = n - 1; i > 0; i--) {
            const j = Math.floor(rand() * (i + 1));
            [order[i], order[j]] = [order[j] as number, order[i] as number];
          }
        }
        const totals: Record<string, number> = {};
        let seen = 0;
        const means = () =>
          Object.fromEntries(
            Object.entries(totals).map(([k, v]) => [k, v / Math.max(seen, 1)]),
          ) as Record<string, number>;
        for (let b = 0; b < steps; b++) {
          await list.onTrainBatchBegin(b);
          const rows = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
          const by = ys.map((a) => takeRows(a, rows));
          const bsw = sw ? takeRows(sw, rows) : null;
          const { losses, outputs } = await this.step(
            xs.map((a) => takeRows(a, rows)),
            by,
            bsw,
            withMetrics,
          );
          if (outputs) this.updateMetrics(by, outputs, bsw);
          for (const [k, v] of Object.entries(losses))
            totals[k] = (totals[k] ?? 0) + v * rows.length;
          seen += rows.length;
          await list.onTrainBatchEnd(b, this.metricLogs(means()));
          // Keras checks stop_training after every batch, not only at the epoch end.
          if (this.stopTraining) break;
        }
        // Read before validation: evaluate() resets and reuses the template's metric objects.
        const logs = await resolveLogs(this.metricLogs(seen > 0 ? means() : { loss: 0 }));
        // Callbacks (checkpoints, early stopping) see the template at this epoch's weights.
        await this.syncTemplate();
        if (options.validationData) {
          const [vx, vy] = options.validationData;
          const r = (await this.template.evaluate(
            vx as never,
            vy as never,
            { verbose: 0, returnDict: true } as never,
          )) as unknown as Record<string, number>;
          for (const [k, v] of Object.entries(r)) logs[`val_${k}`] = v;
        }
        await list.onEpochEnd(epoch, logs);
      }
    } finally {
      await this.syncTemplate();
    }
    await list.onTrainEnd();
    return history;
  }

  /** One step on one batch (Keras `train_on_batch`); returns the batch loss. */
  async trainOnBatch(
    x: Data,
    y: Data,
    options: { sampleWeight?: tf.Tensor | number[] } = {},
  ): Promise<number> {
    await this.whenReady();
    const sw = options.sampleWeight ? await sampleWeightsToHost(options.sampleWeight) : null;
    try {
      const { losses } = await this.step(
        await toHostList(x, this.template.inputNames, 'x'),
        await toHostList(y, this.template.outputNames, 'y'),
        sw,
      );
      return losses.loss as number;
    } finally {
      await this.syncTemplate();
    }
  }

  /** Evaluates the template, which holds the replicas' current weights. */
  async evaluate(x: unknown, y: unknown, options: Record<string, unknown> = {}) {
    await this.syncTemplate();
    return this.template.evaluate(x as never, y as never, options as never);
  }

  /** Splits x in N slices, predicts each on its replica and concatenates the outputs in order. */
  async predict(x: Data, options: { batchSize?: number } = {}): Promise<tf.Tensor | tf.Tensor[]> {
    await this.initDone;
    await this.pendingWeights;
    const xs = await toHostList(x, this.template.inputNames, 'x');
    const rows = xs[0]?.shape[0] ?? 0;
    const bounds = sliceBounds(rows, this.pool.size).filter((b) => b.size > 0);
    const parts = await Promise.all(
      bounds.map(({ start, size }, rank) => {
        const slice = xs.map((a) => sliceRows(a, start, size));
        return this.pool.request(
          rank,
          { type: 'predict', x: slice, batchSize: options.batchSize ?? 32 },
          slice,
        );
      }),
    );
    const outputs = (parts[0]?.outputs ?? []).map((_, k) =>
      fromHost(concatRows(parts.map((p) => (p.outputs as HostArray[])[k] as HostArray))),
    );
    return outputs.length === 1 ? (outputs[0] as tf.Tensor) : outputs;
  }

  // CallbackModel: callbacks such as ModelCheckpoint act on the template.
  get name(): string {
    return this.template.name;
  }

  /**
   * The template's weights after the last completed step. Thread replicas publish them in
   * shared memory, read here at once; process replicas are read at the end of fit, each epoch,
   * trainOnBatch, evaluate and save, so between those the template may lag a running fit.
   */
  getWeights(): tf.Tensor[] {
    const flat = this.pool.committedWeightsNow();
    if (flat) this.setTemplate(flat);
    return this.template.getWeights();
  }

  setWeights(weights: tf.Tensor[]): void {
    this.template.setWeights(weights);
    // Steps before this are not to be copied back over the new weights.
    this.pool.discardCommitted();
    // Clones share the values, so the caller may dispose `weights` once this returns; they are
    // read (awaited) and sent before any later request (whenReady waits for it). Requests run
    // in order on each replica, so the next step sees these weights; a failure here is the
    // replica's failure, reported by the next call.
    const copies = weights.map((w) => tf.clone(w));
    this.pendingWeights = this.pendingWeights
      .then(async () => {
        const host = await Promise.all(copies.map(toHost));
        await this.pool.all({ type: 'setWeights', weights: host });
      })
      .catch(() => {})
      .finally(() => tf.dispose(copies));
  }

  async save(path: string, options?: Record<string, unknown>): Promise<void> {
    await this.syncTemplate();
    return this.template.save(path, options);
  }

  async saveWeights(path: string, options?: Record<string, unknown>): Promise<void> {
    await this.syncTemplate();
    return this.template.saveWeights(path, options);
  }

  loadWeights(path: string, options?: Record<string, unknown>): Promise<void> {
    return this.template
      .loadWeights(path, options)
      .then(() => this.setWeights(this.template.getWeights()));
  }

  /** Ends the replicas (threads or processes); the template keeps the trained weights. */
  async close(): Promise<void> {
    try {
      await this.syncTemplate();
    } finally {
      await this.pool.close();
    }
  }
}
