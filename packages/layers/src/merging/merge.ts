import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { type CallArgs, type DType, formatShape, type Shape } from '../engine/types.js';

/** Broadcast of two shapes (Keras's `_compute_elemwise_op_output_shape`). */
export function broadcastShapes(layerName: string, a: Shape, b: Shape): Shape {
  if (a.length < b.length) return broadcastShapes(layerName, b, a);
  const lead = a.slice(0, a.length - b.length);
  const tail = a.slice(a.length - b.length).map((d, i) => {
    const e = b[i] ?? null;
    if (d === null || e === null) return d === 1 ? e : e === 1 ? d : null;
    if (d === 1) return e;
    if (e === 1 || d === e) return d;
    throw new Error(
      `Inputs of layer "${layerName}" have incompatible shapes. Received: shapes ${formatShape(a)} and ${formatShape(b)}`,
    );
  });
  return [...lead, ...tail];
}

/** Base of the elementwise merge layers: a list of at least `minInputs` tensors in, one out. */
export abstract class Merge extends Layer {
  protected readonly minInputs: number = 1;

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Combines the (broadcast-compatible) inputs. */
  protected abstract mergeFunction(inputs: tf.Tensor[]): tf.Tensor;

  protected checkList(shape: Shape | Shape[]): Shape[] {
    if (!Array.isArray(shape[0])) {
      throw new Error(
        `A merge layer ("${this.name}") should be called on a list of inputs. Received: input_shape=${JSON.stringify(shape)}`,
      );
    }
    const shapes = shape as Shape[];
    if (shapes.length < this.minInputs) {
      throw new Error(
        `A merge layer ("${this.name}") should be called on a list of at least ${this.minInputs} inputs. Received: ${shapes.length} inputs`,
      );
    }
    return shapes;
  }

  override build(inputShape: Shape | Shape[]): void {
    // Validates the list and the broadcast compatibility of the shapes.
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    if (!Array.isArray(inputs)) {
      throw new Error(
        `A merge layer ("${this.name}") should be called on a list of inputs. Received: a single tensor`,
      );
    }
    return tf.tidy(() => this.mergeFunction(inputs));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.checkList(inputShape);
    const first = shapes[0] as Shape;
    let out = first.slice(1);
    for (const s of shapes.slice(1)) out = broadcastShapes(this.name, out, s.slice(1));
    const batches = shapes.map((s) => s[0]).filter((d) => d !== null);
    return [
      batches.length > 0 && new Set(batches).size === 1 ? (batches[0] as number) : null,
      ...out,
    ];
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes.every((d) => d === inputDtypes[0]) && inputDtypes[0] !== undefined
      ? inputDtypes[0]
      : this.dtype;
  }

  /** The AND of the input masks (null when no input is masked). */
  override computeMask(
    _inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | (tf.Tensor | null)[] | null,
  ): tf.Tensor | null {
    if (mask === null || mask === undefined) return null;
    const masks = (Array.isArray(mask) ? mask : [mask]).filter((m): m is tf.Tensor => m !== null);
    if (masks.length === 0) return null;
    return tf.tidy(() =>
      masks.slice(1).reduce((acc, m) => tf.logicalAnd(acc, m), masks[0] as tf.Tensor),
    );
  }
}
