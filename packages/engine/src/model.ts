import {
  type CallArgs,
  type Config,
  configToArgs,
  type DeserializeOptions,
  type DType,
  InputLayer,
  type Layer,
  type LayerArgs,
  type Shape,
  type SymbolicTensor,
  serializeKerasObject,
} from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { isPlainObject, type Structure } from './data-adapters/structure.js';
import { functionalConfig, graphFromConfig } from './functional-config.js';
import { FunctionalGraph } from './functional-graph.js';
import { printSummary, type SummaryOptions } from './summary.js';
import { inputsToList } from './trainer/standardize.js';
import { type Outputs, Trainer } from './trainer/trainer.js';

export type { CompileArgs, Outputs } from './trainer/trainer.js';

export interface ModelArgs extends LayerArgs {
  inputs?: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;
  outputs?: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;
}

/**
 * keras.Model: functional when built from `{ inputs, outputs }`, subclassed when `call` is
 * overridden. Holds the compiled training state and runs fit / evaluate / predict.
 */
export class Model extends Trainer {
  static override className = 'Model';

  /** The functional graph (null for subclassed models). */
  graph: FunctionalGraph | null = null;
  /** The layers of a functional model, in Keras order (a property, so weights find them). */
  protected graphLayers: Layer[] = [];
  protected inputKeys: string[] | null = null;
  protected outputKeys: string[] | null = null;
  protected outputsAreList = false;
  private subclassOutputNames: string[] | null = null;

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

  /** Whether `x` is an InputLayer (helper for summary/config). */
  static isInputLayer(l: Layer): l is InputLayer {
    return l instanceof InputLayer;
  }

  /** Keras 3's `get_config()`: the functional config for a graph model, else the Layer's. */
  protected knowsOutputs(): boolean {
    return this.graph !== null;
  }

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

/** What `new Model({ inputs, outputs })` is, as in Keras 3 (`class_name: "Functional"`). */
export class Functional extends Model {
  static override className = 'Functional';
}
