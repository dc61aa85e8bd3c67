import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { type DType, formatShape, toTfDtype } from './types.js';

let nextVariableId = 0;

/**
 * A layer weight: Keras's `Variable`. `name` is the short name (`kernel`), `path` the Keras 3
 * path (`dense/kernel`). The tfjs variable gets a process-unique name, since tfjs refuses two
 * variables with the same name and two models may both hold a `dense/kernel`.
 */
export class LayerVariable {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly shape: number[];
  readonly dtype: DType;
  readonly constraint: Constraint | null;
  readonly regularizer: Regularizer | null;
  readonly value: tf.Variable;
  private trainableFlag: boolean;

  constructor(args: {
    name: string;
    path?: string;
    initialValue: tf.Tensor;
    dtype?: DType;
    trainable?: boolean;
    constraint?: Constraint | null;
    regularizer?: Regularizer | null;
  }) {
    this.id = nextVariableId++;
    this.name = args.name;
    this.path = args.path ?? args.name;
    this.shape = [...args.initialValue.shape];
    this.dtype = args.dtype ?? (args.initialValue.dtype as DType);
    this.constraint = args.constraint ?? null;
    this.regularizer = args.regularizer ?? null;
    this.trainableFlag = args.trainable ?? true;
    const tfDtype = toTfDtype(this.dtype);
    const init =
      args.initialValue.dtype === tfDtype ? args.initialValue : tf.cast(args.initialValue, tfDtype);
    this.value = tf.variable(init, this.trainableFlag, `${this.path}_${this.id}`, tfDtype);
    if (init !== args.initialValue) init.dispose();
  }

  /** Whether optimizers update this variable (also the flag `tf.variableGrads` reads). */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    this.value.trainable = value;
  }

  /** The current value; the tf.Variable itself, so gradients flow to it. */
  read(): tf.Variable {
    return this.value;
  }

  /** Replaces the value; the shape must match exactly. */
  assign(t: tf.Tensor): void {
    if (!sameShape(t.shape, this.shape)) {
      throw new Error(
        `Cannot assign to variable "${this.path}": expected shape ${formatShape(this.shape)}. ` +
          `Received: value with shape ${formatShape(t.shape)}`,
      );
    }
    const tfDtype = toTfDtype(this.dtype);
    if (t.dtype === tfDtype) {
      this.value.assign(t);
    } else {
      const cast = tf.cast(t, tfDtype);
      this.value.assign(cast);
      cast.dispose();
    }
  }

  /** Projects the value through the constraint, if any (optimizers call this after a step). */
  applyConstraint(): void {
    if (this.constraint === null) return;
    const constraint = this.constraint;
    const projected = tf.tidy(() => constraint.call(this.value));
    this.value.assign(projected);
    projected.dispose();
  }

  /** Number of scalars held. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  dispose(): void {
    this.value.dispose();
  }

  toString(): string {
    return `<LayerVariable path=${this.path}, shape=${formatShape(this.shape)}, dtype=${this.dtype}>`;
  }
}

export function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
