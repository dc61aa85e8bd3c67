import {
  type Callback,
  CallbackList,
  type CallbackModel,
  type CompileArgs,
  History,
  type Model,
  optimizers,
  ProgbarLogger,
} from '@keras-ts/engine';
import * as tf from '@tensorflow/tfjs-core';
import { AllReduceHost, createAllReduceBuffers } from './allreduce.js';
import { concatRows, fromHost, type HostArray, sliceRows, takeRows, toHost } from './codec.js';
import { type ReplicaDevice, resolveDevices } from './devices.js';
import type { SerializedCompile } from './protocol.js';
import { type ReplicaError, ReplicaPool } from './replica-pool.js';
import { sliceBounds } from './split.js';

export interface MultiGpuModelOptions {
  /** Number of GPUs (>= 2) or a list of GPU ids, as Keras 2. */
  gpus?: number | number[];
  /** Explicit devices, e.g. `['/cpu:0', '/cpu:1']` for one replica per CPU core. */
  devices?: string[];
  /** Keras 2's `cpu_merge`: outputs are merged on the host here in every case. */
  cpuMerge?: boolean;
  /** The tfjs backend inside each CPU replica (default wasm). */
  backend?: 'wasm' | 'cpu';
  /**
   * Module URLs each replica imports before rebuilding the model: where your custom layers call
   * registerKerasSerializable (replicas are separate threads and share no code with this one).
   */
  modules?: string[];
}

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

function mulberry(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
  private host: AllReduceHost | null = null;
  stopTraining = false;

  constructor(
    readonly template: Model,
    readonly devices: ReplicaDevice[],
    private readonly pool: ReplicaPool,
    private readonly initDone: Promise<void>,
  ) {}

  /** Like Model.compile; the loss must be named (functions cannot be sent to a replica). */
  compile(args: CompileArgs): void {
    const { optimizer = 'rmsprop', loss, lossWeights } = args;
    const checkLoss = (l: unknown, where: string) => {
      if (typeof l === 'function') {
        throw new Error(
          `multiGpuModel replicas run in other threads and cannot receive the loss function given for ${where}; pass a Keras loss name (e.g. 'categorical_crossentropy') instead.`,
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
    const buffers = createAllReduceBuffers(
      this.pool.size,
      weightLength(this.template.trainableWeights) +
        weightLength(this.template.nonTrainableWeights),
      weightLength(this.template.weights),
    );
    this.host = new AllReduceHost(buffers);
    const compiled = this.compiled;
    this.ready = this.initDone.then(() =>
      this.pool.all({ type: 'compile', compile: compiled, buffers }).then(() => {}),
    );
    this.ready.catch(() => {});
  }

  private async whenReady(): Promise<void> {
    if (!this.ready)
      throw new Error(
        'You must compile the parallel model before training or testing it. Use `parallel.compile({optimizer, loss})`.',
      );
    await this.ready;
  }

  private toHostList(value: unknown, names: string[], what: 'x' | 'y'): HostArray[] {
    const one = (v: unknown): HostArray => {
      const t = v instanceof tf.Tensor ? v : tf.tensor(v as number[]);
      const h = toHost(t);
      if (t !== v) t.dispose();
      return h;
    };
    if (value instanceof tf.Tensor) return [one(value)];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof tf.Tensor))
      return value.map(one);
    if (Array.isArray(value)) return [one(value)];
    if (value && typeof value === 'object') {
      const dict = value as Record<string, unknown>;
      const missing = names.filter((n) => !(n in dict));
      if (missing.length)
        throw new Error(
          `Missing data for ${what === 'x' ? 'input' : 'output'} ${missing.map((m) => `'${m}'`).join(', ')}. Expected keys: ${names.join(', ')}`,
        );
      return names.map((n) => one(dict[n]));
    }
    throw new Error(
      `Expected ${what} to be a tensor, an array, a list or a dict by name. Received: ${typeof value}`,
    );
  }

  /** One synchronous data-parallel step on a batch; returns the batch loss. */
  private async step(x: HostArray[], y: HostArray[], sw: HostArray | null): Promise<number> {
    const rows = x[0]?.shape[0] ?? 0;
    const bounds = sliceBounds(rows, this.pool.size);
    const replies = await Promise.all(
      bounds.map(({ start, size }, rank) => {
        const xs = x.map((a) => sliceRows(a, start, size));
        const ys = y.map((a) => sliceRows(a, start, size));
        const s = sw ? sliceRows(sw, start, size) : null;
        return this.pool.request(
          rank,
          { type: 'train', x: xs, y: ys, sampleWeight: s, scale: rows ? size / rows : 0 },
          [...xs, ...ys, ...(s ? [s] : [])],
        );
      }),
    );
    return replies.reduce((sum, r) => sum + (r.loss ?? 0), 0);
  }

  /** Copies the weights of the last completed step into the template. */
  private syncTemplate(): void {
    // The shared weight slot holds nothing before the first published step.
    if (!this.host || this.host.committedSteps === 0) return;
    const flat = this.host.committedWeights();
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
    const xs = this.toHostList(x, this.template.inputNames, 'x');
    const ys = this.toHostList(y, this.template.outputNames, 'y');
    const sw = options.sampleWeight
      ? toHost(
          options.sampleWeight instanceof tf.Tensor
            ? options.sampleWeight
            : tf.tensor1d(options.sampleWeight),
        )
      : null;
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
    const rand = mulberry(seed);
    await list.onTrainBegin();
    try {
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        await list.onEpochBegin(epoch);
        const order = Int32Array.from({ length: n }, (_, i) => i);
        if (shuffle) {
          for (let i = n - 1; i > 0; i--) {
            const j = Math.floor(rand() * (i + 1));
            [order[i], order[j]] = [order[j] as number, order[i] as number];
          }
        }
        let total = 0;
        let seen = 0;
        for (let b = 0; b < steps; b++) {
          await list.onTrainBatchBegin(b);
          const rows = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
          const loss = await this.step(
            xs.map((a) => takeRows(a, rows)),
            ys.map((a) => takeRows(a, rows)),
            sw ? takeRows(sw, rows) : null,
          );
          total += loss * rows.length;
          seen += rows.length;
          await list.onTrainBatchEnd(b, { loss: total / seen });
        }
        const logs: Record<string, number> = { loss: total / Math.max(seen, 1) };
        if (options.validationData) {
          this.syncTemplate();
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
      if (!this.pool.failed) this.syncTemplate();
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
    const sw = options.sampleWeight
      ? toHost(
          options.sampleWeight instanceof tf.Tensor
            ? options.sampleWeight
            : tf.tensor1d(options.sampleWeight),
        )
      : null;
    const loss = await this.step(
      this.toHostList(x, this.template.inputNames, 'x'),
      this.toHostList(y, this.template.outputNames, 'y'),
      sw,
    );
    this.syncTemplate();
    return loss;
  }

  /** Evaluates the template, which holds the replicas' current weights. */
  async evaluate(x: unknown, y: unknown, options: Record<string, unknown> = {}) {
    this.syncTemplate();
    return this.template.evaluate(x as never, y as never, options as never);
  }

  /** Splits x in N slices, predicts each on its replica and concatenates the outputs in order. */
  async predict(x: Data, options: { batchSize?: number } = {}): Promise<tf.Tensor | tf.Tensor[]> {
    await this.initDone;
    const xs = this.toHostList(x, this.template.inputNames, 'x');
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

  getWeights(): tf.Tensor[] {
    this.syncTemplate();
    return this.template.getWeights();
  }

  setWeights(weights: tf.Tensor[]): void {
    this.template.setWeights(weights);
    const host = weights.map(toHost);
    void this.pool.all({ type: 'setWeights', weights: host });
  }

  save(path: string, options?: Record<string, unknown>): Promise<void> {
    this.syncTemplate();
    return this.template.save(path, options);
  }

  saveWeights(path: string, options?: Record<string, unknown>): Promise<void> {
    this.syncTemplate();
    return this.template.saveWeights(path, options);
  }

  loadWeights(path: string, options?: Record<string, unknown>): Promise<void> {
    return this.template
      .loadWeights(path, options)
      .then(() => this.setWeights(this.template.getWeights()));
  }

  /** Ends the worker threads; the template keeps the trained weights. */
  async close(): Promise<void> {
    if (!this.pool.failed) this.syncTemplate();
    await this.pool.close();
  }

  /** Called when a replica fails: release the others, keep the last completed step. */
  handleFailure(_err: ReplicaError): void {
    this.host?.abort();
    this.syncTemplate();
  }
}

/**
 * `keras.utils.multi_gpu_model(model, gpus=N)`: a data-parallel copy of `model` with one
 * replica per device (worker threads; one per CPU core with `devices: ['/cpu:0', '/cpu:1']`).
 */
export async function multiGpuModel(
  model: Model,
  options: MultiGpuModelOptions,
): Promise<ParallelModel> {
  const devices = resolveDevices(options);
  const gpu = devices.find((d) => d.type === 'GPU');
  if (gpu) {
    throw new Error(
      `GPU replicas (${gpu.name}) need one process per GPU with @tensorflow/tfjs-node-gpu, which is not installed here; use CPU devices (['/cpu:0', '/cpu:1']) or install @tensorflow/tfjs-node-gpu.`,
    );
  }
  let parallel: ParallelModel | null = null;
  const pool = new ReplicaPool(
    devices,
    (err) => parallel?.handleFailure(err),
    options.backend ?? 'wasm',
  );
  const modelJSON = model.toJSON();
  const values = model.getWeights();
  const weights = values.map(toHost);
  tf.dispose(values);
  const init = Promise.all(
    devices.map((d, rank) =>
      pool.request(rank, {
        type: 'init',
        modelJSON,
        weights,
        rank,
        device: d.name,
        modules: options.modules ?? [],
      }),
    ),
  ).then(() => {});
  init.catch(() => {});
  parallel = new ParallelModel(model, devices, pool, init);
  await init;
  return parallel;
}
