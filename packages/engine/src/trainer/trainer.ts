import { Layer, type LayerVariable } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { History } from '../callbacks/history.js';
import type { Structure } from '../data-adapters/structure.js';
import { isPlainObject } from '../data-adapters/structure.js';
import { getModelIO } from '../io-registry.js';
import type { Model } from '../model.js';
import * as optimizers from '../optimizers/index.js';
import { CompiledState, type CompileSpec } from './compiled-state.js';
import { isBatchSource } from './data-input.js';
import type { EvaluateOptions, FitOptions, PredictOptions } from './loops.js';
import * as loops from './loops.js';
import type { StepData, StepLogs } from './steps.js';
import * as steps from './steps.js';
import type { StepFunction } from './train-function.js';
import * as trainFns from './train-function.js';

export interface CompileArgs extends Partial<CompileSpec> {
  optimizer?: optimizers.OptimizerIdentifier;
  /** Accepted for Keras compatibility; steps always run eagerly here. */
  runEagerly?: boolean;
  jitCompile?: boolean;
  stepsPerExecution?: number;
}

/** What predict returns: one tensor, a list, or a dict by output name. */
export type Outputs = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/** `fit(source, options)`: a batch source takes no `y`, so a plain second argument is options. */
function splitSourceOptions(x: unknown, y: unknown, options: unknown): [unknown, unknown] {
  if (options === undefined && isPlainObject(y) && isBatchSource(x, undefined))
    return [undefined, y];
  return [y, options];
}

/** The trainer functions work on the concrete Model; a Trainer is always one. */
function self(t: Trainer): Model {
  return t as unknown as Model;
}

/**
 * The training half of keras.Model (Keras's `Trainer`): compile, the step functions, the
 * fit / evaluate / predict loops, the *OnBatch and generator methods, and the IO seam. `Model`
 * adds the graph and structure on top.
 */
export abstract class Trainer extends Layer {
  optimizer: optimizers.Optimizer | null = null;
  compiled: CompiledState | null = null;
  /** Keras's `_collected_trainable_weights`: fixed at compile (null until known). */
  collectedTrainableWeights: LayerVariable[] | null = null;
  trainFunction: StepFunction | null = null;
  testFunction: StepFunction | null = null;
  predictFunction: ((x: Structure<tf.Tensor>) => tf.Tensor[]) | null = null;
  stopTraining = false;
  history: History | null = null;
  /** Set by BackupAndRestore: the epoch fit resumes at. */
  initialEpochOverride: number | null = null;
  protected compileArgs: CompileArgs | null = null;
  discrepancyWarned = false;

  // ---- compile --------------------------------------------------------------------------

  /** keras Model.compile: optimizer, losses (per output), loss weights and metrics. */
  compile(args: CompileArgs = {}): void {
    const optimizer = optimizers.get(args.optimizer ?? 'rmsprop');
    if (optimizer === null) {
      throw new Error(
        `Could not interpret optimizer identifier. Received: optimizer=${String(args.optimizer)}`,
      );
    }
    if (args.loss === undefined || args.loss === null) {
      throw new Error(
        'compile() needs a `loss`: a name, a function, a Loss object, a list, or a dict by output ' +
          `name (${this.outputNames.join(', ')}). Received: loss=${String(args.loss)}`,
      );
    }
    this.compiled?.dispose();
    this.optimizer = optimizer;
    this.compiled = new CompiledState({
      loss: args.loss,
      lossWeights: args.lossWeights,
      metrics: args.metrics,
      weightedMetrics: args.weightedMetrics,
    });
    // A functional model knows its outputs now: validate names at compile time, like Keras.
    if (this.knowsOutputs()) this.compiled.ensure(this.outputNames);
    this.compileArgs = args;
    this.collectedTrainableWeights =
      this.built && this.weights.length > 0 ? [...this.trainableWeights] : null;
    this.trainFunction = null;
    this.testFunction = null;
    this.discrepancyWarned = false;
  }

  get isCompiled(): boolean {
    return this.compiled !== null;
  }

  requireCompiled(): CompiledState {
    if (this.compiled === null) {
      throw new Error(
        'You must call `compile()` before using the model for training or evaluation ' +
          '(fit, evaluate, trainOnBatch, testOnBatch). predict() needs no compile.',
      );
    }
    return this.compiled;
  }

  /** Keras 3's `get_compile_config()`, or null when not compiled. */
  getCompileConfig(): CompileArgs | null {
    return this.compileArgs;
  }

  /** Names of the values evaluate returns: loss, per-output losses, then metrics. */
  get metricsNames(): string[] {
    return this.compiled?.metricsNames ?? [];
  }

  resetMetrics(): void {
    this.compiled?.reset();
  }

  // ---- steps (overridable, as Keras's train_step / test_step / predict_step) --------------

  /** One optimisation step on a batch; runs inside the train function's tidy. */
  trainStep(data: StepData): StepLogs {
    return trainFns.defaultTrainStep(self(this), data);
  }

  /** One evaluation step: forward in inference mode, losses and metrics updated. */
  testStep(data: StepData): StepLogs {
    return trainFns.defaultTestStep(self(this), data);
  }

  /** One prediction step: the model's outputs in inference mode. */
  predictStep(data: { x: Structure<tf.Tensor> }): tf.Tensor[] {
    return this.forward(data.x, false);
  }

  /**
   * The multi-gpu seam: gradients of the total loss with respect to
   * `collectedTrainableWeights`, in that order, without applying them. Call inside tf.tidy
   * (or dispose the results). `yPred` is the training-mode forward pass the gradients came from,
   * one tensor per output: multi-gpu merges the replicas' predictions to update the compiled
   * metrics on the whole batch, as Keras 2's multi_gpu_model did.
   */
  computeGradients(data: StepData): {
    loss: tf.Tensor;
    grads: tf.Tensor[];
    logs: Record<string, tf.Tensor>;
    yPred: tf.Tensor[];
  } {
    const vars = trainFns.ensureCollected(self(this), data);
    const r = steps.lossAndGradients(self(this), data, vars);
    const logs: Record<string, tf.Tensor> = { loss: r.loss };
    r.perOutput.forEach((t, i) => {
      if (t && r.perOutput.filter(Boolean).length > 1) logs[`${this.outputNames[i]}_loss`] = t;
    });
    const grads = r.grads.map((g, i) => g ?? tf.zerosLike((vars[i] as LayerVariable).value));
    return { loss: r.loss, grads, logs, yPred: r.yPred };
  }

  makeTrainFunction(opts: { force?: boolean } = {}): StepFunction {
    return trainFns.makeTrainFunction(self(this), opts);
  }

  makeTestFunction(opts: { force?: boolean } = {}): StepFunction {
    return trainFns.makeTestFunction(self(this), opts);
  }

  makePredictFunction(opts: { force?: boolean } = {}): (x: Structure<tf.Tensor>) => tf.Tensor[] {
    return trainFns.makePredictFunction(self(this), opts);
  }

  // ---- loops ----------------------------------------------------------------------------

  /**
   * keras Model.fit. With a generator, Sequence or iterable of batches, the options may come
   * second: `fit(generator, { stepsPerEpoch, epochs })`.
   */
  fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    const [yy, opts] = splitSourceOptions(x, y, options);
    return loops.fit(self(this), x, yy, opts as FitOptions | undefined);
  }

  evaluate(
    x: unknown,
    y?: unknown,
    options?: EvaluateOptions,
  ): Promise<number | number[] | Record<string, number>> {
    const [yy, opts] = splitSourceOptions(x, y, options);
    return loops.evaluate(self(this), x, yy, opts as EvaluateOptions | undefined);
  }

  predict(x: unknown, options?: PredictOptions): Promise<Outputs> {
    return loops.predict(self(this), x, options);
  }

  trainOnBatch(
    x: unknown,
    y?: unknown,
    options?: loops.OnBatchOptions,
  ): Promise<number | number[] | Record<string, number>> {
    return loops.trainOnBatch(self(this), x, y, options);
  }

  testOnBatch(
    x: unknown,
    y?: unknown,
    options?: loops.OnBatchOptions,
  ): Promise<number | number[] | Record<string, number>> {
    return loops.testOnBatch(self(this), x, y, options);
  }

  predictOnBatch(x: unknown): Outputs {
    return loops.predictOnBatch(self(this), x);
  }

  fitGenerator(generator: unknown, options?: loops.FitGeneratorOptions): Promise<History> {
    return loops.fitGenerator(self(this), generator, options);
  }

  evaluateGenerator(
    generator: unknown,
    options?: loops.GeneratorOptions,
  ): Promise<number | number[]> {
    return loops.evaluateGenerator(self(this), generator, options);
  }

  predictGenerator(generator: unknown, options?: loops.GeneratorOptions): Promise<Outputs> {
    return loops.predictGenerator(self(this), generator, options);
  }

  // ---- IO seam --------------------------------------------------------------------------

  async save(path: string, options?: Record<string, unknown>): Promise<void> {
    return getModelIO().save(this, path, options);
  }

  async saveWeights(path: string, options?: Record<string, unknown>): Promise<void> {
    return getModelIO().saveWeights(this, path, options);
  }

  async loadWeights(path: string, options?: Record<string, unknown>): Promise<void> {
    return getModelIO().loadWeights(this, path, options);
  }

  override dispose(): void {
    this.compiled?.dispose();
    this.optimizer?.dispose();
    super.dispose();
  }

  /** One tensor per output for a batch (the model's forward pass). */
  abstract forward(x: Structure<tf.Tensor>, training: boolean): tf.Tensor[];

  /** Shapes predictions like the model's outputs. */
  abstract structureOutputs(list: tf.Tensor[]): Outputs;

  abstract get outputNames(): string[];

  /** Whether the outputs are known before the first call (a graph), so compile can check names. */
  protected abstract knowsOutputs(): boolean;
}
