import {
  type CallArgs,
  type Config,
  type ConfigValue,
  type DeserializeOptions,
  deserializeKerasObject,
  Input,
  InputLayer,
  isSymbolicTensor,
  Layer,
  type Shape,
  type SymbolicTensor,
  serializeKerasObject,
} from '@keras-ts/layers';
import type * as tf from '@tensorflow/tfjs-core';
import { Model } from './model.js';

export interface SequentialArgs {
  layers?: (Layer | SymbolicTensor)[];
  name?: string;
  trainable?: boolean;
}

/**
 * keras.Sequential: a stack of single-output layers. With a known input shape (an InputLayer,
 * or `inputShape` on the first layer) it is a functional graph at once; otherwise the graph is
 * built on the first call from the data's shape (deferred build).
 */
export class Sequential extends Model {
  static override className = 'Sequential';
  protected stack: Layer[] = [];
  protected inputLayer: InputLayer | null = null;

  constructor(args: (Layer | SymbolicTensor)[] | SequentialArgs = {}) {
    const opts = Array.isArray(args) ? { layers: args } : args;
    super({ name: opts.name, trainable: opts.trainable });
    for (const layer of opts.layers ?? []) this.add(layer);
  }

  /** The layers, without the InputLayer (as Keras 3). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Appends a layer; `Input(...)` (its InputLayer) is accepted first, as in Keras 3. */
  add(layerOrInput: Layer | SymbolicTensor): void {
    const layer = isSymbolicTensor(layerOrInput)
      ? (layerOrInput.kerasHistory?.layer ?? layerOrInput)
      : layerOrInput;
    if (!(layer instanceof Layer)) {
      throw new Error(
        `Only instances of Layer can be added to a Sequential model. Received: ${String(layer)}`,
      );
    }
    if (layer instanceof InputLayer) {
      if (this.inputLayer !== null || this.stack.length > 0) {
        throw new Error(
          `Sequential model "${this.name}" can only have an InputLayer as its first layer. Received: ${layer.name}`,
        );
      }
      this.inputLayer = layer;
      this.rebuild();
      return;
    }
    if (this.stack.some((l) => l.name === layer.name)) {
      throw new Error(
        `All layers added to a Sequential model should have unique names. Name "${layer.name}" ` +
          `is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`,
      );
    }
    if (this.stack.length === 0 && this.inputLayer === null && layer.batchInputShape) {
      this.inputLayer = Input({ batchShape: layer.batchInputShape, dtype: layer.dtype })
        .kerasHistory?.layer as InputLayer;
    }
    this.stack.push(layer);
    this.rebuild();
  }

  /** Removes the last layer. */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) throw new TypeError('There are no layers in the model.');
    this.rebuild();
    return layer;
  }

  /** Rebuilds the functional graph from the InputLayer through every layer (Keras's _maybe_rebuild). */
  protected rebuild(): void {
    this.trainFunction = null;
    this.testFunction = null;
    this.predictFunction = null;
    if (this.inputLayer === null || this.stack.length === 0) {
      this.graph = null;
      this.graphLayers = [];
      this.built = false;
      return;
    }
    const input = this.inputLayer.output as SymbolicTensor;
    let x: SymbolicTensor = input;
    for (const layer of this.stack) {
      const out = layer.apply(x);
      if (Array.isArray(out)) {
        throw new Error(
          'All layers in a Sequential model should have a single output tensor. For multi-output ' +
            `layers, use the functional API. Received: layer "${layer.name}" with ${out.length} outputs`,
        );
      }
      x = out;
    }
    this.initGraph(input, x);
  }

  /** Builds the graph for this input shape (the batch size stays free). */
  override build(inputShape: Shape | Shape[]): void {
    if (this.graph) return;
    if (this.stack.length === 0) {
      throw new Error(`Sequential model "${this.name}" cannot be built because it has no layers.`);
    }
    const shape = inputShape as Shape;
    this.inputLayer = Input({ batchShape: [null, ...shape.slice(1)] }).kerasHistory
      ?.layer as InputLayer;
    this.rebuild();
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    if (!this.graph) this.build(((Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor).shape);
    return super.call(inputs, args);
  }

  override forward(x: Parameters<Model['forward']>[0], training: boolean): tf.Tensor[] {
    // Deferred build: the first batch's shape defines the input (Keras builds on first call).
    if (!this.graph) {
      const first = Array.isArray(x) ? x[0] : x;
      if (first && typeof (first as tf.Tensor).shape === 'object')
        this.build((first as tf.Tensor).shape);
    }
    return super.forward(x, training);
  }

  /** Keras 3's Sequential config: every layer (the InputLayer first) and the build shape. */
  override getConfig(): Config {
    const layers: ConfigValue[] = [];
    if (this.inputLayer) layers.push(serializeKerasObject(this.inputLayer));
    for (const layer of this.stack) {
      const entry = serializeKerasObject(layer) as Config;
      const build = layer.getBuildConfig();
      if (build !== null) entry.build_config = build;
      layers.push(entry);
    }
    const config: Config = {
      name: this.name,
      trainable: this.trainable,
      dtype: super.getConfig().dtype ?? null,
      layers,
    };
    if (this.inputLayer) config.build_input_shape = [...this.inputLayer.batchShape];
    return config;
  }

  /** Rebuilds from a Keras 3 config, or a Keras 2 one (the config itself may be the layer list). */
  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config | ConfigValue[],
    opts: DeserializeOptions = {},
  ): T {
    const layerConfigs = (Array.isArray(config) ? config : config.layers) as
      | ConfigValue[]
      | undefined;
    if (!Array.isArray(layerConfigs)) {
      throw new Error(
        `A Sequential config needs a "layers" list. Received: ${JSON.stringify(config).slice(0, 200)}`,
      );
    }
    const name = Array.isArray(config) ? undefined : (config.name as string | undefined);
    const model = new Sequential({ name });
    for (const lc of layerConfigs) {
      const { build_config: _b, ...rest } = lc as Config;
      const layer = deserializeKerasObject(rest as ConfigValue, {
        customObjects: opts.customObjects,
        kind: 'layers',
      }) as Layer;
      model.add(layer);
    }
    const buildShape = Array.isArray(config) ? undefined : config.build_input_shape;
    if (!model.graph && Array.isArray(buildShape)) model.build(buildShape as Shape);
    if (!Array.isArray(config) && config.trainable === false) model.trainable = false;
    return model as unknown as T;
  }
}
