import {
  type CallArgs,
  type Config,
  configToArgs,
  type DeserializeOptions,
  type DType,
  InputLayer,
  Layer,
  type LayerArgs,
  type LayerVariable,
  type Shape,
  type SymbolicTensor,
  serializeKerasObject,
} from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import type { History } from './callbacks/history.js';
import { isPlainObject, type Structure } from './data-adapters/structure.js';
import { functionalConfig, graphFromConfig } from './functional-config.js';
import { FunctionalGraph } from './functional-graph.js';
import { getModelIO } from './io-registry.js';
import * as optimizers from './optimizers/index.js';
import { printSummary, type SummaryOptions } from './summary.js';
import { CompiledState, type CompileSpec } from './trainer/compiled-state.js';
import { isBatchSource } from './trainer/data-input.js';
import type { EvaluateOptions, FitOptions, PredictOptions } from './trainer/loops.js';
import * as loops from './trainer/loops.js';
import { inputsToList } from './trainer/standardize.js';
import type { StepData, StepLogs } from './trainer/steps.js';
import * as steps from './trainer/steps.js';
import type { StepFunction } from './trainer/train-function.js';
import * as trainFns from './trainer/train-function.js';

export interface ModelArgs extends LayerArgs {
  inputs?: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;
  outputs?: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;
}

export interface CompileArgs extends Partial<CompileSpec> {
  optimizer?: optimizers.OptimizerIdentifier;
  /** Accepted for Keras compatibility; steps always run eagerly here. */
  runEagerly?: boolean;
  jitCompile?: boolean;
  stepsPerExecution?: number;
}

type Outputs = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/**
 * keras.Model: functional when built from `{ inputs, outputs }`, subclassed when `call` is
 * overridden. Holds the compiled training state and runs fit / evaluate / predict.
 */
export class Model extends Layer {
  static override className = 'Model';

  /** The functional graph (null for subclassed models). */
  graph: FunctionalGraph | null = null;
  /** The layers of a functional model, in Keras order (a property, so weights find them). */
  protected graphLayers: Layer[] = [];
  protected inputKeys: string[] | null = null;
  protected outputKeys: string[] | null = null;
  protected outputsAreList = false;
  private subclassOutputNames: string[] | null = null;

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

  constructor(args: ModelArgs = {}) {
    const { inputs, outputs, ...layerArgs } = args;
    super(layerArgs);
    if (inputs === undefined && outputs === undefined) return;
    if (inputs === undefined || outputs === undefined) {
      throw new Error(
        'A functional Model needs both `inputs` and `outputs`. Received: ' +
          `inputs=${inputs === undefined ? 'undefined' : 'given'}, outputs=${outputs === undefined ? 'undefined' : 'given'}`,
      );
    }
    this.initGraph(inputs, outputs);
    if (new.target === Model) Object.setPrototypeOf(this, Functional.prototype);
  }

  /** Builds the functional graph (also used by Sequential once its input shape is known). */
  protected initGraph(
    inputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>,
    outputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>,
  ): void {
    let inList: SymbolicTensor[];
    if (Array.isArray(inputs)) inList = inputs;
    else if (isPlainObject(inputs)) {
      this.inputKeys = Object.keys(inputs);
      inList = Object.values(inputs) as SymbolicTensor[];
    } else inList = [inputs as SymbolicTensor];
    let outList: SymbolicTensor[];
    if (Array.isArray(outputs)) {
      outList = outputs;
      this.outputsAreList = true;
    } else if (isPlainObject(outputs)) {
      this.outputKeys = Object.keys(outputs);
      outList = Object.values(outputs) as SymbolicTensor[];
      this.outputsAreList = true;
    } else outList = [outputs as SymbolicTensor];
    this.graph = new FunctionalGraph(inList, outList);
    this.graphLayers = [...this.graph.layers];
    this.built = true;
  }

  // ---- structure ------------------------------------------------------------------------

  /** The model's layers (InputLayers included for functional models, as in Keras). */
  get layers(): Layer[] {
    if (this.graph) return [...this.graphLayers];
    return this.subLayers();
  }

  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const l = layers[nameOrIndex];
      if (!l) {
        throw new Error(
          `Was asked to retrieve layer at index ${nameOrIndex} but model only has ${layers.length} layers.`,
        );
      }
      return l;
    }
    const found = layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new Error(
        `No such layer: ${nameOrIndex}. Existing layers are: ${JSON.stringify(layers.map((l) => l.name))}.`,
      );
    }
    return found;
  }

  get inputs(): SymbolicTensor[] {
    return this.graph ? [...this.graph.inputs] : [];
  }

  get outputs(): SymbolicTensor[] {
    return this.graph ? [...this.graph.outputs] : [];
  }

  get inputNames(): string[] {
    if (this.inputKeys) return [...this.inputKeys];
    return this.inputs.map((t) => t.kerasHistory?.layer.name ?? t.name);
  }

  /** Output names: the producing layers' names (Keras 3), or dict keys; `output_1`... subclassed. */
  get outputNames(): string[] {
    if (this.outputKeys) return [...this.outputKeys];
    if (this.graph) return this.outputs.map((t) => t.kerasHistory?.layer.name ?? t.name);
    return this.subclassOutputNames ?? ['output_1'];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    if (!this.graph) {
      throw new Error(
        `Model "${this.name}" has no graph: a subclassed model must override call(inputs, args), ` +
          'and a functional model needs `inputs` and `outputs`.',
      );
    }
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const outs = this.graph.run(list, args);
    return this.outputsAreList ? outs : (outs[0] as tf.Tensor);
  }

  /**
   * Builds a subclassed model for this input shape by running `call` once on zeros (unknown
   * dimensions as 1), so its sublayers create their weights (Keras builds by calling too).
   */
  override build(inputShape: Shape | Shape[]): void {
    if (this.graph || this.built) {
      super.build(inputShape);
      return;
    }
    const many = inputShape.length > 0 && Array.isArray(inputShape[0]);
    const shapes = (many ? inputShape : [inputShape]) as Shape[];
    this.built = true;
    tf.tidy(() => {
      const zeros = shapes.map((s) => tf.zeros(s.map((d) => d ?? 1)));
      this.call(many ? zeros : (zeros[0] as tf.Tensor), { training: false });
    });
    this.buildInputShape = inputShape;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    if (!this.graph) return super.computeOutputShape(inputShape);
    const shapes = this.graph.outputs.map((t) => [...t.shape]);
    return this.outputsAreList ? shapes : (shapes[0] as Shape);
  }

  override computeOutputDtype(inputDtypes: DType[]): DType | DType[] {
    if (!this.graph) return super.computeOutputDtype(inputDtypes);
    const dtypes = this.graph.outputs.map((t) => t.dtype);
    return this.outputsAreList ? dtypes : (dtypes[0] as DType);
  }

  /**
   * Runs the model on a batch and returns one tensor per output. `x` may be a tensor, a list, or
   * a dict by input name.
   */
  forward(x: Structure<tf.Tensor>, training: boolean): tf.Tensor[] {
    const args: CallArgs = { training };
    if (this.graph) {
      const list = inputsToList(x, this.inputNames);
      const out = this.apply(list.length === 1 ? (list[0] as tf.Tensor) : list, args);
      return Array.isArray(out) ? out : [out];
    }
    const input = isPlainObject(x)
      ? (Object.values(x) as tf.Tensor[])
      : (x as tf.Tensor | tf.Tensor[]);
    const out = this.apply(input, args) as Outputs;
    const list = Array.isArray(out) ? out : out instanceof tf.Tensor ? [out] : Object.values(out);
    if (this.subclassOutputNames === null || this.subclassOutputNames.length !== list.length) {
      this.subclassOutputNames = isPlainObject(out)
        ? Object.keys(out)
        : list.map((_, i) => `output_${i + 1}`);
    }
    return list;
  }

  /** Shapes predictions like the model's outputs: one tensor, a list, or a dict. */
  structureOutputs(list: tf.Tensor[]): Outputs {
    if (this.outputKeys) {
      const out: Record<string, tf.Tensor> = {};
      this.outputKeys.forEach((k, i) => {
        out[k] = list[i] as tf.Tensor;
      });
      return out;
    }
    if (this.graph) return this.outputsAreList ? list : (list[0] as tf.Tensor);
    return list.length === 1 ? (list[0] as tf.Tensor) : list;
  }

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
    if (this.graph) this.compiled.ensure(this.outputNames);
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
    return trainFns.defaultTrainStep(this, data);
  }

  /** One evaluation step: forward in inference mode, losses and metrics updated. */
  testStep(data: StepData): StepLogs {
    return trainFns.defaultTestStep(this, data);
  }

  /** One prediction step: the model's outputs in inference mode. */
  predictStep(data: { x: Structure<tf.Tensor> }): tf.Tensor[] {
    return this.forward(data.x, false);
  }

  /**
   * The multi-gpu seam: gradients of the total loss with respect to
   * `collectedTrainableWeights`, in that order, without applying them. Call inside tf.tidy
   * (or dispose the results).
   */
  computeGradients(data: StepData): {
    loss: tf.Tensor;
    grads: tf.Tensor[];
    logs: Record<string, tf.Tensor>;
  } {
    const vars = trainFns.ensureCollected(this, data);
    const r = steps.lossAndGradients(this, data, vars);
    const logs: Record<string, tf.Tensor> = { loss: r.loss };
    r.perOutput.forEach((t, i) => {
      if (t && r.perOutput.filter(Boolean).length > 1) logs[`${this.outputNames[i]}_loss`] = t;
    });
    const grads = r.grads.map((g, i) => g ?? tf.zerosLike((vars[i] as LayerVariable).value));
    return { loss: r.loss, grads, logs };
  }

  makeTrainFunction(opts: { force?: boolean } = {}): StepFunction {
    return trainFns.makeTrainFunction(this, opts);
  }

  makeTestFunction(opts: { force?: boolean } = {}): StepFunction {
    return trainFns.makeTestFunction(this, opts);
  }

  makePredictFunction(opts: { force?: boolean } = {}): (x: Structure<tf.Tensor>) => tf.Tensor[] {
    return trainFns.makePredictFunction(this, opts);
  }

  // ---- loops ----------------------------------------------------------------------------

  /**
   * keras Model.fit. With a generator, Sequence or iterable of batches, the options may come
   * second: `fit(generator, { stepsPerEpoch, epochs })`.
   */
  fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    const [yy, opts] = splitSourceOptions(x, y, options);
    return loops.fit(this, x, yy, opts as FitOptions | undefined);
  }

  evaluate(
    x: unknown,
    y?: unknown,
    options?: EvaluateOptions,
  ): Promise<number | number[] | Record<string, number>> {
    const [yy, opts] = splitSourceOptions(x, y, options);
    return loops.evaluate(this, x, yy, opts as EvaluateOptions | undefined);
  }

  predict(x: unknown, options?: PredictOptions): Promise<Outputs> {
    return loops.predict(this, x, options);
  }

  trainOnBatch(
    x: unknown,
    y?: unknown,
    options?: loops.OnBatchOptions,
  ): Promise<number | number[] | Record<string, number>> {
    return loops.trainOnBatch(this, x, y, options);
  }

  testOnBatch(
    x: unknown,
    y?: unknown,
    options?: loops.OnBatchOptions,
  ): Promise<number | number[] | Record<string, number>> {
    return loops.testOnBatch(this, x, y, options);
  }

  predictOnBatch(x: unknown): Outputs {
    return loops.predictOnBatch(this, x);
  }

  fitGenerator(generator: unknown, options?: loops.FitGeneratorOptions): Promise<History> {
    return loops.fitGenerator(this, generator, options);
  }

  evaluateGenerator(
    generator: unknown,
    options?: loops.GeneratorOptions,
  ): Promise<number | number[]> {
    return loops.evaluateGenerator(this, generator, options);
  }

  predictGenerator(generator: unknown, options?: loops.GeneratorOptions): Promise<Outputs> {
    return loops.predictGenerator(this, generator, options);
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

  /** Whether `x` is an InputLayer (helper for summary/config). */
  static isInputLayer(l: Layer): l is InputLayer {
    return l instanceof InputLayer;
  }

  /** Keras 3's `get_config()`: the functional config for a graph model, else the Layer's. */
  override getConfig(): Config {
    if (!this.graph) return super.getConfig();
    return functionalConfig({
      name: this.name,
      trainable: this.trainable,
      graph: this.graph,
      inputKeys: this.inputKeys,
      outputKeys: this.outputKeys,
      outputsAreList: this.outputsAreList,
    });
  }

  /**
   * Rebuilds a model from its config: a functional config (Keras 3 or Keras 2 inbound nodes) or,
   * for a subclass, its constructor arguments.
   */
  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    opts: DeserializeOptions = {},
  ): T {
    if (Array.isArray(config.layers) && config.input_layers !== undefined) {
      const { inputs, outputs } = graphFromConfig(config, opts);
      const model = new Model({
        inputs,
        outputs,
        name: typeof config.name === 'string' ? config.name : undefined,
      });
      if (config.trainable === false) model.trainable = false;
      return model as unknown as T;
    }
    // A subclass rebuilds from its own constructor arguments (Keras's default from_config).
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass being deserialized.
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor(configToArgs(config));
  }

  /** Keras `to_json()`: the serialized model (class name, config) as a JSON string. */
  toJSON(): string {
    return JSON.stringify(serializeKerasObject(this));
  }

  /** Total number of weights (Keras `count_params`). */
  override countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Prints Keras 3's summary table (through `printFn`, console.log by default). */
  summary(opts: SummaryOptions = {}): void {
    printSummary(this, opts);
  }
}

/** `fit(source, options)`: a batch source takes no `y`, so a plain second argument is options. */
function splitSourceOptions(x: unknown, y: unknown, options: unknown): [unknown, unknown] {
  if (options === undefined && isPlainObject(y) && isBatchSource(x, undefined))
    return [undefined, y];
  return [y, options];
}

/** What `new Model({ inputs, outputs })` is, as in Keras 3 (`class_name: "Functional"`). */
export class Functional extends Model {
  static override className = 'Functional';
}
