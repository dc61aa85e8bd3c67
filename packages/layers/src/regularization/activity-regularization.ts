import type * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';
import { L1L2 } from '../regularizers/l1l2.js';

/** Identity that adds `l1 * sum|x| + l2 * sum x^2` (divided by the batch size) to `losses`. */
export class ActivityRegularization extends Layer {
  static override className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(args: LayerArgs & { l1?: number; l2?: number } = {}) {
    const l1 = args.l1 ?? 0;
    const l2 = args.l2 ?? 0;
    super({ ...args, activityRegularizer: new L1L2({ l1, l2 }) });
    this.l1 = l1;
    this.l2 = l2;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    return inputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    const { activity_regularizer: _dropped, ...base } = super.getConfig();
    return { ...base, l1: this.l1, l2: this.l2 };
  }
}
