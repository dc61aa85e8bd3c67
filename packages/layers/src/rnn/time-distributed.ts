import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every timestep (one set of weights for all of them). */
  layer: Layer;
}

/**
 * Keras's TimeDistributed: applies a layer to every temporal slice of `(batch, time, ...)`.
 * The steps run as one call on `(batch * time, ...)` (the same math as Keras's per-step calls
 * for every layer that treats samples independently), then fold back to `(batch, time, ...)`.
 */
export class TimeDistributed extends Layer {
  static override className = 'TimeDistributed';
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args);
    if (!(args.layer instanceof Layer)) {
      throw new Error(
        `Please initialize \`TimeDistributed\` layer with a \`keras.layers.Layer\` instance. Received: ${String(args.layer)}`,
      );
    }
    this.layer = args.layer;
    this.supportsMasking = true;
  }

  private childShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length < 3) {
      throw new Error(
        `TimeDistributed Layer should be passed an \`input_shape\` with at least 3 dimensions. ` +
          `Received: input_shape=(${shape.map((d) => (d === null ? 'None' : d)).join(', ')})`,
      );
    }
    return [shape[0] ?? null, ...shape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.maybeBuild(this.childShape(inputShape));
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const child = this.layer.computeOutputShape(this.childShape(shape)) as Shape;
    return [child[0] ?? null, shape[1] ?? null, ...child.slice(1)];
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs;
    this.childShape(x.shape);
    const [batch, time] = x.shape as [number, number];
    const mask = Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null);
    if (mask !== null && (mask.rank < 2 || mask.shape[0] !== batch || mask.shape[1] !== time)) {
      throw new Error(
        `The \`mask\` passed to the \`TimeDistributed\` layer has a shape (${mask.shape.join(', ')}) that is ` +
          `incompatible with the input shape (${x.shape.join(', ')}). Expected mask shape prefix: (${batch}, ${time}).`,
      );
    }
    return tf.tidy(() => {
      const flat = tf.reshape(x, [batch * time, ...x.shape.slice(2)]);
      const childArgs: CallArgs = { training: args.training };
      if (mask !== null && mask.rank > 2)
        childArgs.mask = tf.reshape(mask, [batch * time, ...mask.shape.slice(2)]);
      const out = this.layer.call(flat, childArgs);
      const y = Array.isArray(out) ? (out[0] as Tensor) : out;
      return tf.reshape(y, [batch, time, ...y.shape.slice(1)]);
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), layer: serializeKerasObject(this.layer) };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    opts: DeserializeOptions = {},
  ): T {
    const { layer, ...rest } = config;
    const inner = deserializeKerasObject(layer ?? null, { ...opts, kind: 'layers' });
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor({ ...configToArgs(rest), layer: inner });
  }
}
