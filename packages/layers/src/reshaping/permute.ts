import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';

/** Permutes the non-batch axes; `dims` is 1-based, as in Keras (`[2, 1]` swaps axes 1 and 2). */
export class Permute extends Layer {
  static override className = 'Permute';
  readonly dims: number[];

  constructor(args: LayerArgs & { dims: number[] }) {
    super(args);
    const dims = args?.dims;
    const sorted = Array.isArray(dims) ? [...dims].sort((a, b) => a - b) : [];
    if (!Array.isArray(dims) || dims.length === 0 || !sorted.every((d, i) => d === i + 1)) {
      throw new Error(
        `Invalid permutation argument "dims" for Permute layer: expected a permutation of 1..n. Received: dims=${JSON.stringify(dims)}`,
      );
    }
    this.dims = [...dims];
    this.inputSpec = new InputSpec({ ndim: dims.length + 1 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0] ?? null, ...this.dims.map((d) => shape[d] ?? null)];
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), dims: this.dims };
  }
}
