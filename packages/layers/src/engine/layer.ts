import { floatx } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import * as constraints from '../constraints/index.js';
import * as initializers from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { configToArgs } from '../serialization/config-keys.js';
import {
  type DTypePolicy,
  parseDTypePolicy,
  serializeDTypePolicy,
} from '../serialization/dtype-policy.js';
import { classNameOf, type DeserializeOptions } from '../serialization/registry.js';
import { assertInputCompatibility, type InputSpec } from './input-spec.js';
import { applyConcrete, applySymbolic, probeOutputShape } from './layer-call.js';
import { toSnakeCase, uniqueName } from './naming.js';
import type { Node } from './node.js';
import { isSymbolicTensor, type SymbolicTensor } from './symbolic-tensor.js';
import type { CallArgs, Config, DType, Shape } from './types.js';
import { formatShape } from './types.js';
import { LayerVariable, sameShape } from './variable.js';

/** Options every layer accepts (Keras's `**kwargs` of `Layer.__init__`). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** A dtype name, a policy name (`'mixed_float16'`) or a Keras `DTypePolicy` dict. */
  dtype?: DType | string | Record<string, unknown> | null;
  /** Shape of one sample; with `batchSize` it gives the batch input shape. */
  inputShape?: Shape;
  batchInputShape?: Shape;
  batchSize?: number | null;
  /** Keras 1/2 shorthand for `inputShape: [inputDim]`. */
  inputDim?: number;
  activityRegularizer?: regularizers.RegularizerIdentifier | null;
}

export interface AddWeightArgs {
  name: string;
  shape: readonly number[];
  dtype?: DType;
  initializer?: initializers.InitializerIdentifier | null;
  regularizer?: regularizers.RegularizerIdentifier | null;
  constraint?: constraints.ConstraintIdentifier | null;
  trainable?: boolean;
}

export type AnyInputs = tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[];

/** Keras's `Layer`: holds weights, builds them once, and maps inputs to outputs in `call`. */
export class Layer {
  static className = 'Layer';

  name: string;
  built = false;
  supportsMasking = false;
  /** Layers with state across batches (stateful RNNs) set this and override `resetStates`. */
  stateful = false;
  inputSpec: InputSpec | (InputSpec | null)[] | null = null;
  readonly inboundNodes: Node[] = [];
  readonly outboundNodes: Node[] = [];
  /** `[batch, ...inputShape]` when the layer was given an input shape (first layer of a Sequential). */
  batchInputShape: Shape | null = null;
  activityRegularizer: Regularizer | null;
  /** The input shape `build` was called with, for Keras 3's `build_config`. */
  buildInputShape: Shape | Shape[] | null = null;

  protected dtypePolicy: DTypePolicy;
  private trainableFlag: boolean;
  private readonly ownTrainable: LayerVariable[] = [];
  private readonly ownNonTrainable: LayerVariable[] = [];
  private readonly trackedLayers: Layer[] = [];
  private callLosses: tf.Tensor[] = [];

  constructor(args: LayerArgs = {}) {
    const cls = this.constructor as typeof Layer;
    this.name = args.name ?? uniqueName(toSnakeCase(classNameOf(cls)));
    if (typeof this.name !== 'string' || this.name === '') {
      throw new Error(
        `Received an invalid value for "name", expected a non-empty string. Received: name=${JSON.stringify(args.name)}`,
      );
    }
    this.trainableFlag = args.trainable ?? true;
    this.dtypePolicy = parseDTypePolicy(args.dtype, floatx() as DType);
    this.activityRegularizer = regularizers.get(args.activityRegularizer ?? null);
    if (args.batchInputShape) {
      this.batchInputShape = [...args.batchInputShape];
    } else if (args.inputShape) {
      this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    } else if (args.inputDim !== undefined) {
      this.batchInputShape = [args.batchSize ?? null, args.inputDim];
    }
  }

  /** The compute dtype (the policy's). */
  get dtype(): DType {
    return this.dtypePolicy.computeDtype;
  }

  /** Dtype new weights get by default. */
  get variableDtype(): DType {
    return this.dtypePolicy.variableDtype;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  /** Like Keras 3: flips the layer's trainable variables and every sublayer. */
  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const v of this.ownTrainable) v.trainable = value;
    for (const layer of this.subLayers()) layer.trainable = value;
  }

  // ---- sublayers -------------------------------------------------------------------------

  /** Makes `layer` a sublayer explicitly (properties holding layers are found automatically). */
  protected trackLayer<T extends Layer>(layer: T): T {
    if (!this.trackedLayers.includes(layer)) this.trackedLayers.push(layer);
    return layer;
  }

  /** Direct sublayers: tracked ones, then layers (or arrays of layers) held in own properties. */
  subLayers(): Layer[] {
    const found: Layer[] = [...this.trackedLayers];
    const add = (v: unknown) => {
      if (v instanceof Layer && v !== this && !found.includes(v)) found.push(v);
    };
    for (const value of Object.values(this)) {
      if (Array.isArray(value)) value.forEach(add);
      else add(value);
    }
    return found;
  }

  // ---- weights ---------------------------------------------------------------------------

  /** Keras's `add_weight`: creates, initialises and tracks a variable of this layer. */
  addWeight(args: AddWeightArgs): LayerVariable {
    const dtype = args.dtype ?? this.variableDtype;
    const trainable = args.trainable ?? true;
    const initializer: Initializer | null = initializers.get(args.initializer ?? null);
    const shape = [...args.shape];
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new Error(
          `Layer "${this.name}" cannot create weight "${args.name}": expected a fully defined ` +
            `shape of non-negative integers. Received: shape=${formatShape(shape)}`,
        );
      }
    }
    const initialValue = initializer
      ? initializer.call(shape, dtype)
      : tf.zeros(shape, dtype === 'string' ? 'string' : undefined);
    const variable = new LayerVariable({
      name: args.name,
      path: `${this.name}/${args.name}`,
      initialValue,
      dtype,
      trainable,
      regularizer: regularizers.get(args.regularizer ?? null),
      constraint: constraints.get(args.constraint ?? null) as Constraint | null,
    });
    initialValue.dispose();
    if (trainable) {
      this.ownTrainable.push(variable);
      if (!this.trainableFlag) variable.trainable = false;
    } else {
      this.ownNonTrainable.push(variable);
    }
    return variable;
  }

  /** Own variables (trainable first), then each sublayer's, without duplicates (Keras 3 order). */
  get weights(): LayerVariable[] {
    const out: LayerVariable[] = [];
    const seen = new Set<LayerVariable>();
    const push = (v: LayerVariable) => {
      if (!seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    };
    for (const v of this.ownTrainable) push(v);
    for (const v of this.ownNonTrainable) push(v);
    for (const layer of this.subLayers()) for (const v of layer.weights) push(v);
    return out;
  }

  get trainableWeights(): LayerVariable[] {
    if (!this.trainable) return [];
    return this.weights.filter((v) => v.trainable);
  }

  get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable) return this.weights;
    return this.weights.filter((v) => !v.trainable);
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): tf.Tensor[] {
    return this.weights.map((v) => tf.clone(v.read()));
  }

  /** Sets every weight, in `weights` order; count and shapes must match. */
  setWeights(values: (tf.Tensor | tf.TensorLike)[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new Error(
        `Layer "${this.name}" expected ${weights.length} weights (${weights.map((w) => w.name).join(', ')}), ` +
          `but setWeights received a list of ${values.length} arrays.`,
      );
    }
    const tensors = values.map((v, i) => {
      const w = weights[i] as LayerVariable;
      return v instanceof tf.Tensor ? v : tf.tensor(v, undefined, w.value.dtype);
    });
    tensors.forEach((t, i) => {
      const w = weights[i] as LayerVariable;
      if (!sameShape(t.shape, w.shape)) {
        throw new Error(
          `Layer "${this.name}" weight "${w.name}" has shape ${formatShape(w.shape)}, ` +
            `but setWeights received an array of shape ${formatShape(t.shape)}.`,
        );
      }
    });
    tensors.forEach((t, i) => {
      (weights[i] as LayerVariable).assign(t);
      if (t !== values[i]) t.dispose();
    });
  }

  /** Total number of scalars in the weights; the layer must be built. */
  countParams(): number {
    if (!this.built) {
      throw new Error(
        `You tried to call countParams on layer "${this.name}", but the layer isn't built. ` +
          `Build it first with layer.build(inputShape) or by calling it on data.`,
      );
    }
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  // ---- losses ----------------------------------------------------------------------------

  /** Adds a loss tensor (cleared when the next outermost call starts). */
  addLoss(loss: tf.Tensor): void {
    this.callLosses.push(loss);
  }

  /** Losses of the last call (activity + `addLoss`), then weight penalties evaluated now. */
  get losses(): tf.Tensor[] {
    const out: tf.Tensor[] = this.callLosses.filter((t) => !t.isDisposed);
    const visit = (layer: Layer, seen: Set<Layer>) => {
      for (const sub of layer.subLayers()) {
        if (seen.has(sub)) continue;
        seen.add(sub);
        out.push(...sub.callLosses.filter((t) => !t.isDisposed));
        visit(sub, seen);
      }
    };
    visit(this, new Set([this]));
    for (const v of this.trainableWeights) {
      const reg = v.regularizer;
      if (reg !== null) out.push(tf.tidy(() => reg.call(v.read())));
    }
    return out;
  }

  /** Drops the losses of the last call, here and in every sublayer. */
  clearLosses(): void {
    for (const t of this.callLosses) t.dispose();
    this.callLosses = [];
    for (const layer of this.subLayers()) layer.clearLosses();
  }

  // ---- build / call ----------------------------------------------------------------------

  /** Creates the weights for inputs of this shape. Subclasses override; Keras calls it once. */
  build(inputShape: Shape | Shape[]): void {
    this.buildInputShape = inputShape;
    this.built = true;
  }

  /** Builds unless built already (the first `apply` calls this with the input shapes). */
  maybeBuild(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.buildInputShape = inputShape;
    this.built = true;
  }

  /** The forward computation on concrete tensors. */
  call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    return inputs;
  }

  /**
   * Output shape for an input shape. The default runs `call` once on zeros of that shape (the
   * unknown batch as 1), which is right for most layers; built-in layers override it.
   */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return probeOutputShape(this, inputShape);
  }

  /** The dtype of outputs on symbolic calls (the compute dtype, unless a layer overrides). */
  computeOutputDtype(_inputDtypes: DType[]): DType | DType[] {
    return this.dtype;
  }

  /** Output mask for these inputs and input mask; by default masks pass through unchanged. */
  computeMask(
    _inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | (tf.Tensor | null)[] | null {
    return mask ?? null;
  }

  /** Keras `__call__`: symbolic inputs record a Node, concrete inputs run `call`. */
  apply(
    inputs: SymbolicTensor | SymbolicTensor[],
    args?: CallArgs,
  ): SymbolicTensor | SymbolicTensor[];
  apply(inputs: tf.Tensor | tf.Tensor[], args?: CallArgs): tf.Tensor | tf.Tensor[];
  apply(
    inputs: AnyInputs,
    args?: CallArgs,
  ): tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[];
  apply(
    inputs: AnyInputs,
    args: CallArgs = {},
  ): tf.Tensor | tf.Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const list: (tf.Tensor | SymbolicTensor)[] = Array.isArray(inputs) ? inputs : [inputs];
    const symbolic = list.filter(isSymbolicTensor).length;
    if (symbolic > 0 && symbolic < list.length) {
      throw new Error(
        `Layer "${this.name}" received a mix of symbolic tensors (from Input()) and concrete ` +
          `tensors. Expected all inputs of one kind.`,
      );
    }
    for (const x of list) {
      if (!(x instanceof tf.Tensor) && !isSymbolicTensor(x)) {
        throw new Error(
          `Layer "${this.name}" expected a tensor or a SymbolicTensor (or a list of them). Received: ${String(x)}`,
        );
      }
    }
    assertInputCompatibility(
      this.name,
      this.inputSpec,
      list.map((x) => ({ shape: x.shape, dtype: x.dtype })),
    );
    const shapes = list.map((x) => [...x.shape] as Shape);
    const inputShape: Shape | Shape[] = Array.isArray(inputs) ? shapes : (shapes[0] as Shape);
    this.maybeBuild(inputShape);
    if (symbolic > 0) {
      return applySymbolic(this, inputs as SymbolicTensor | SymbolicTensor[], inputShape, args);
    }
    const propagateMask = this.supportsMasking || this.computeMask !== Layer.prototype.computeMask;
    return applyConcrete(this, inputs as tf.Tensor | tf.Tensor[], args, propagateMask);
  }

  // ---- graph accessors -------------------------------------------------------------------

  /** The input(s) of the layer's first call on symbolic tensors. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.firstNode('input');
    return node.inputsAreList ? node.inputTensors : (node.inputTensors[0] as SymbolicTensor);
  }

  /** The output(s) of the layer's first call on symbolic tensors. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    const node = this.firstNode('output');
    return node.outputsAreList ? node.outputTensors : (node.outputTensors[0] as SymbolicTensor);
  }

  private firstNode(what: string): Node {
    const node = this.inboundNodes[0];
    if (node === undefined) {
      throw new Error(
        `Layer "${this.name}" has no ${what}: it has never been called on a symbolic tensor.`,
      );
    }
    return node;
  }

  // ---- config ----------------------------------------------------------------------------

  /** Keras 3's `get_config()`: snake_case keys, the dtype as a serialized policy. */
  getConfig(): Config {
    const config: Config = {
      name: this.name,
      trainable: this.trainable,
      dtype: serializeDTypePolicy(this.dtypePolicy),
    };
    if (this.activityRegularizer !== null) {
      config.activity_regularizer = regularizers.serialize(this.activityRegularizer);
    }
    return config;
  }

  /** Keras 3's `get_build_config()`: the input shape the layer was built with. */
  getBuildConfig(): Config | null {
    if (this.buildInputShape === null) return null;
    return { input_shape: this.buildInputShape };
  }

  /** Keras 3's `build_from_config()`. */
  buildFromConfig(config: Config): void {
    const shape = config.input_shape;
    if (Array.isArray(shape)) this.maybeBuild(shape as Shape | Shape[]);
  }

  /** Builds a layer from a Keras config (Keras 3 or Keras 2 dialect). */
  static fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    _opts?: DeserializeOptions,
  ): T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass fromConfig was called on
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor(configToArgs(config));
  }

  /** Clears the state of stateful sublayers (stateful layers override this). */
  resetStates(): void {
    for (const layer of this.subLayers()) if (layer.stateful) layer.resetStates();
  }

  /** Frees the weights' memory. */
  dispose(): void {
    for (const v of [...this.ownTrainable, ...this.ownNonTrainable]) v.dispose();
    for (const layer of this.subLayers()) layer.dispose();
  }
}
