import * as tf from '@tensorflow/tfjs-core';
import { softmax } from '../activations/functions.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { type CallArgs, type Config, formatShape, type Shape } from '../engine/types.js';

export interface SoftmaxArgs extends LayerArgs {
  /** Axis or axes to normalise over (default -1). */
  axis?: number | number[];
}

/**
 * Keras `Softmax` layer. With a mask (broadcastable to the input; 1/true = keep) masked entries
 * get a -1e9 logit and an output of exactly 0, as in Keras.
 */
export class Softmax extends Layer {
  static override className = 'Softmax';
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    const { axis, ...rest } = args;
    super(rest);
    this.axis = Array.isArray(axis) ? [...axis] : (axis ?? -1);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const mask = args.mask instanceof tf.Tensor ? args.mask : null;
    if (mask !== null) this.checkMask(x, mask);
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    return tf.tidy(() => {
      const keep = mask === null ? null : mask.dtype === 'bool' ? mask : tf.greater(mask, 0.5);
      const logits = keep === null ? x : tf.where(keep, x, tf.fill(x.shape, -1e9));
      const y =
        axes.length === 1
          ? softmax(logits, axes[0] as number)
          : tf.exp(tf.sub(logits, tf.logSumExp(logits, axes, true)));
      return keep === null ? y : tf.where(keep, y, tf.zerosLike(y));
    });
  }

  private checkMask(x: tf.Tensor, mask: tf.Tensor): void {
    const ok =
      mask.rank <= x.rank &&
      mask.shape.every((d, i) => {
        const xd = x.shape[x.rank - mask.rank + i];
        return d === 1 || d === xd;
      });
    if (!ok) {
      throw new Error(
        `The \`mask\` of layer "${this.name}" must be broadcastable to \`inputs\`. ` +
          `Received: inputs.shape=${formatShape(x.shape)}, mask.shape=${formatShape(mask.shape)}`,
      );
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}
