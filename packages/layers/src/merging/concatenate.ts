import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import {
  type CallArgs,
  type Config,
  type DType,
  formatShape,
  type Shape,
} from '../engine/types.js';

/** Joins a list of tensors along `axis` (default -1); other axes must match. */
export class Concatenate extends Layer {
  static override className = 'Concatenate';
  readonly axis: number;

  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis)) {
      throw new Error(
        `Received an invalid value for "axis", expected an integer. Received: axis=${String(axis)}`,
      );
    }
    this.axis = axis;
    this.supportsMasking = true;
  }

  private shapesOf(inputShape: Shape | Shape[]): Shape[] {
    if (!Array.isArray(inputShape[0]) || inputShape.length < 1) {
      throw new Error(
        `A Concatenate layer ("${this.name}") should be called on a list of inputs. Received: input_shape=${JSON.stringify(inputShape)}`,
      );
    }
    return inputShape as Shape[];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const rank = list[0]?.rank ?? 1;
    return tf.concat(list, this.axis < 0 ? rank + this.axis : this.axis);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapesOf(inputShape);
    const first = shapes[0] as Shape;
    const rank = first.length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const out = [...first];
    for (const s of shapes.slice(1)) {
      const compatible =
        s.length === rank &&
        s.every((d, i) => i === axis || d === null || out[i] === null || d === out[i]);
      if (!compatible) {
        throw new Error(
          `A Concatenate layer ("${this.name}") requires inputs with matching shapes except for the concatenation axis ${this.axis}. ` +
            `Received: input_shape=${shapes.map((x) => formatShape(x)).join(', ')}`,
        );
      }
      s.forEach((d, i) => {
        if (i === axis) out[i] = out[i] === null || d === null ? null : (out[i] as number) + d;
        else if (out[i] === null) out[i] = d;
      });
    }
    return out;
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  /** Masks joined along `axis` (missing ones all true), then any() over the last axis, like Keras. */
  override computeMask(
    inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | null {
    if (mask === null || mask === undefined) return null;
    const masks = Array.isArray(mask) ? mask : [mask];
    if (masks.every((m) => m === null)) return null;
    const list = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() => {
      const full = list.map((x, i) => {
        const m = masks[i] ?? null;
        if (m === null) return tf.ones(x.shape, 'bool');
        return m.rank < x.rank ? tf.broadcastTo(tf.expandDims(m, -1), x.shape) : m;
      });
      const rank = list[0]?.rank ?? 1;
      const joined = tf.concat(full, this.axis < 0 ? rank + this.axis : this.axis);
      return tf.any(joined, -1);
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}
