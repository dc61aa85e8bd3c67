import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { type CallArgs, type Config, formatShape, type Shape } from '../engine/types.js';

/** L2 normalisation along `axis` as Keras does it: `x / sqrt(max(sum(x^2), 1e-12))`. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
}

/**
 * Keras's `batch_dot`: per sample, contracts axis `a` of `x` with axis `b` of `y` (both >= 1).
 * The result is `x`'s remaining axes then `y`'s; a rank-1 result becomes `(batch, 1)`.
 */
export function batchDot(x: tf.Tensor, y: tf.Tensor, a: number, b: number): tf.Tensor {
  return tf.tidy(() => {
    const batch = x.shape[0] as number;
    const xRest = x.shape.filter((_, i) => i !== 0 && i !== a);
    const yRest = y.shape.filter((_, i) => i !== 0 && i !== b);
    const k = x.shape[a] as number;
    const xPerm = [0, ...x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a), a];
    const yPerm = [0, b, ...y.shape.map((_, i) => i).filter((i) => i !== 0 && i !== b)];
    const m = xRest.reduce((p, d) => p * d, 1);
    const n = yRest.reduce((p, d) => p * d, 1);
    const x3 = tf.reshape(tf.transpose(x, xPerm), [batch, m, k]);
    const y3 = tf.reshape(tf.transpose(y, yPerm), [batch, k, n]);
    const out = tf.matMul(x3, y3);
    const shape = [batch, ...xRest, ...yRest];
    return tf.reshape(out, shape.length === 1 ? [batch, 1] : shape);
  });
}

/** Dot product of two samples-batches along `axes` (optionally cosine: `normalize`). */
export class Dot extends Layer {
  static override className = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: LayerArgs & { axes: number | [number, number]; normalize?: boolean }) {
    super(args);
    const axes = args?.axes;
    const ok =
      Number.isInteger(axes) ||
      (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!ok) {
      throw new Error(
        `Invalid format for argument "axes": expected an integer or a list of 2 integers. Received: axes=${JSON.stringify(axes)}`,
      );
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = args.normalize ?? false;
    this.supportsMasking = true;
  }

  private resolveAxes(shapes: Shape[]): [number, number] {
    const [s1, s2] = shapes as [Shape, Shape];
    const [p1, p2] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    return [p1 < 0 ? p1 + s1.length : p1, p2 < 0 ? p2 + s2.length : p2];
  }

  private checkShapes(inputShape: Shape | Shape[]): Shape[] {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) {
      throw new Error(
        `A Dot layer ("${this.name}") should be called on a list of 2 inputs. Received: input_shape=${JSON.stringify(inputShape)}`,
      );
    }
    const shapes = inputShape as Shape[];
    const [a, b] = this.resolveAxes(shapes);
    const d1 = shapes[0]?.[a];
    const d2 = shapes[1]?.[b];
    if (d1 !== null && d2 !== null && d1 !== d2) {
      throw new Error(
        `Incompatible input shapes for layer "${this.name}": axis ${a} of ${formatShape(shapes[0] as Shape)} ` +
          `has size ${d1}, axis ${b} of ${formatShape(shapes[1] as Shape)} has size ${d2}.`,
      );
    }
    return shapes;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.checkShapes(inputShape);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) {
      throw new Error(`A Dot layer ("${this.name}") should be called on a list of 2 inputs.`);
    }
    const [a, b] = this.resolveAxes(inputs.map((t) => t.shape));
    return tf.tidy(() => {
      let [x, y] = inputs as [tf.Tensor, tf.Tensor];
      if (this.normalize) {
        x = l2Normalize(x, a);
        y = l2Normalize(y, b);
      }
      return batchDot(x, y, a, b);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.checkShapes(inputShape);
    const [a, b] = this.resolveAxes(shapes);
    const [s1, s2] = shapes as [Shape, Shape];
    const out = [...s1.filter((_, i) => i !== a), ...s2.filter((_, i) => i !== 0 && i !== b)];
    return out.length === 1 ? [out[0] ?? null, 1] : out;
  }

  override computeMask(): null {
    return null;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}
