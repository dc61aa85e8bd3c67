import type * as tf from '@tensorflow/tfjs-core';
import type { LayerArgs } from '../engine/layer.js';
import { Layer } from '../engine/layer.js';
import type { CallArgs, DType, Shape } from '../engine/types.js';

/** Returns its input unchanged (masks too); a placeholder layer. */
export class Identity extends Layer {
  static override className = 'Identity';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    return inputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override computeOutputDtype(inputDtypes: DType[]): DType | DType[] {
    return inputDtypes.length === 1 ? (inputDtypes[0] as DType) : inputDtypes;
  }
}
