import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, ConfigValue, DType, Shape } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';

/** The function a Lambda layer runs: inputs, then the layer's `arguments`, then call args. */
export type LambdaFunction = (
  inputs: tf.Tensor | tf.Tensor[],
  args: Record<string, unknown>,
  callArgs: CallArgs,
) => tf.Tensor | tf.Tensor[];

export interface LambdaArgs extends LayerArgs {
  function: LambdaFunction;
  /** Output shape without the batch (as Keras), or a function of the full input shape. */
  outputShape?: Shape | ((inputShape: Shape | Shape[]) => Shape | Shape[]) | null;
  /** Extra keyword arguments passed to `function`. */
  arguments?: Record<string, unknown>;
  /** A fixed mask, or a function `(inputs, mask) => mask`. */
  mask?:
    | ((
        inputs: tf.Tensor | tf.Tensor[],
        mask: tf.Tensor | (tf.Tensor | null)[] | null,
      ) => tf.Tensor | null)
    | null;
}

/**
 * Wraps a function as a layer. It serializes only when the function is registered with
 * `registerKerasSerializable` (Python lambdas saved by Keras hold bytecode and cannot load here).
 */
export class Lambda extends Layer {
  static override className = 'Lambda';
  readonly fn: LambdaFunction;
  readonly outputShapeArg: LambdaArgs['outputShape'];
  readonly arguments: Record<string, unknown>;
  readonly maskFn: LambdaArgs['mask'];
  private probedDtype: DType | null = null;

  constructor(args: LambdaArgs) {
    super(args);
    if (typeof args?.function !== 'function') {
      throw new Error(
        `Received an invalid value for "function", expected a function. Received: function=${String(args?.function)}`,
      );
    }
    this.fn = args.function;
    this.outputShapeArg = args.outputShape ?? null;
    this.arguments = args.arguments ?? {};
    this.maskFn = args.mask ?? null;
    this.supportsMasking = this.maskFn !== null;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    return this.fn(inputs, this.arguments, args);
  }

  override computeMask(
    inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | null {
    if (this.maskFn === null || this.maskFn === undefined) return null;
    return this.maskFn(inputs, mask ?? null);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const arg = this.outputShapeArg;
    if (typeof arg === 'function') return arg(inputShape);
    if (Array.isArray(arg)) {
      const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
      return [first[0] ?? null, ...arg];
    }
    // No declared shape: run the function once on zeros and read shape and dtype back.
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    let result: Shape | Shape[] = [];
    tf.tidy(() => {
      const dummies = shapes.map((s) => tf.zeros(s.map((d) => d ?? 1)));
      const out = this.fn(
        shapes === inputShape ? dummies : (dummies[0] as tf.Tensor),
        this.arguments,
        {},
      );
      const outs = Array.isArray(out) ? out : [out];
      this.probedDtype = (outs[0]?.dtype as DType | undefined) ?? null;
      const toShape = (t: tf.Tensor): Shape =>
        t.shape.map((d, i) => (i === 0 && shapes[0]?.[0] === null ? null : d));
      result = Array.isArray(out) ? outs.map(toShape) : toShape(out);
    });
    return result;
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return this.probedDtype ?? inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    const config: Config = { ...super.getConfig(), function: serializeKerasObject(this.fn) };
    const shape = this.outputShapeArg;
    if (shape !== null && shape !== undefined) {
      config.output_shape = typeof shape === 'function' ? serializeKerasObject(shape) : shape;
    }
    if (this.maskFn !== null && this.maskFn !== undefined)
      config.mask = serializeKerasObject(this.maskFn);
    config.arguments = this.arguments as ConfigValue;
    return config;
  }

  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    opts: DeserializeOptions = {},
  ): T {
    const args = configToArgs(config);
    const load = (value: unknown, what: string): unknown => {
      if (value === null || value === undefined) return value;
      if (
        what === 'output_shape' &&
        Array.isArray(value) &&
        config.output_shape_type !== 'lambda'
      ) {
        return value;
      }
      // Keras 3 writes lambdas as {class_name: '__lambda__'}, Keras 2 as [bytecode, defaults, closure].
      const isBytecode =
        Array.isArray(value) ||
        (typeof value === 'object' &&
          (value as { class_name?: unknown }).class_name === '__lambda__');
      if (isBytecode) {
        throw new Error(
          `Lambda layer "${String(config.name)}": its ${what} is a Python lambda (bytecode), which cannot ` +
            `run here. Define the function in TypeScript, register it with ` +
            `registerKerasSerializable(fn, { package: 'my_package' }) and save the model again, or ` +
            `rebuild the layer in code.`,
        );
      }
      return deserializeKerasObject(value as ConfigValue, { ...opts, kind: 'activations' });
    };
    args.function = load(config.function, 'function');
    args.outputShape = load(config.output_shape, 'output_shape');
    args.mask = load(config.mask, 'mask');
    args.arguments = (config.arguments as Record<string, unknown> | undefined) ?? {};
    const Ctor = Lambda as unknown as new (a: Record<string, unknown>) => T;
    return new Ctor(args);
  }
}
