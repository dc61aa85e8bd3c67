import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt } from '../core/validation.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';

/** `(batch, features)` -> `(batch, n, features)`. */
export class RepeatVector extends Layer {
  static override className = 'RepeatVector';
  readonly n: number;

  constructor(args: LayerArgs & { n: number }) {
    super(args);
    this.n = checkPositiveInt('n', args?.n);
    this.inputSpec = new InputSpec({ ndim: 2 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.tidy(() => tf.tile(tf.expandDims(x, 1), [1, this.n, 1]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0] ?? null, this.n, shape[1] ?? null];
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), n: this.n };
  }
}
