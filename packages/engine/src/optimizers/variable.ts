import * as tf from '@tensorflow/tfjs-core';

/**
 * What an optimizer can update: a raw `tf.Variable`, or a Keras-style variable wrapper (the layers
 * package's `LayerVariable`) that holds one in `value` and may carry a `constraint`.
 */
export type VariableLike = tf.Variable | WrappedVariable;

/** The part of `LayerVariable` the optimizer relies on (see docs/design/package-contracts.md). */
export interface WrappedVariable {
  readonly value: tf.Variable;
  readonly name: string;
  readonly path?: string;
  readonly constraint?: unknown;
}

/** A constraint as Keras accepts it: a function or an object with `call`/`apply`. */
type ConstraintLike =
  | ((w: tf.Tensor) => tf.Tensor)
  | { call(w: tf.Tensor): tf.Tensor }
  | { apply(w: tf.Tensor): tf.Tensor };

export function isWrappedVariable(v: unknown): v is WrappedVariable {
  return (
    typeof v === 'object' &&
    v !== null &&
    'value' in v &&
    (v as WrappedVariable).value instanceof tf.Variable
  );
}

/** The underlying tf.Variable of either form. */
export function unwrapVariable(v: VariableLike): tf.Variable {
  if (v instanceof tf.Variable) return v;
  if (isWrappedVariable(v)) return v.value;
  throw new Error(
    `Expected a tf.Variable or a variable wrapper with a \`value\` tf.Variable. Received: ${String(v)}`,
  );
}

/** Keras names slots after the variable's path (`dense/kernel` -> `dense_kernel`). */
export function variableSlotPrefix(v: VariableLike): string {
  if (!(v instanceof tf.Variable) && v.path) return v.path.replaceAll('/', '_');
  const name = v instanceof tf.Variable ? v.name : v.name;
  return name.replaceAll('/', '_').replaceAll(':', '_');
}

/** The name Keras uses for `exclude_from_weight_decay(var_names=...)` matching. */
export function variableName(v: VariableLike): string {
  return v instanceof tf.Variable ? v.name : v.name;
}

/** Applies a variable's constraint (Keras 3 does this in the optimizer, after each update). */
export function constraintOf(v: VariableLike): ((w: tf.Tensor) => tf.Tensor) | null {
  if (v instanceof tf.Variable) return null;
  const c = v.constraint as ConstraintLike | null | undefined;
  if (c == null) return null;
  if (typeof c === 'function') return c;
  if ('call' in c && typeof c.call === 'function') return (w) => c.call(w);
  if ('apply' in c && typeof c.apply === 'function') return (w) => c.apply(w);
  return null;
}

let uniqueVarId = 0;

/**
 * An optimizer state variable (iterations, learning rate, slots). Shaped like the layers package's
 * `LayerVariable` so saving treats model and optimizer variables alike: `name`, `path`, `shape`,
 * `dtype`, `trainable`, `value`, `read()`, `assign()`.
 */
export class OptimizerVariable {
  readonly name: string;
  readonly path: string;
  readonly trainable = false;
  readonly constraint = null;
  readonly regularizer = null;
  readonly value: tf.Variable;

  constructor(args: { name: string; path: string; initialValue: tf.Tensor }) {
    this.name = args.name;
    this.path = args.path;
    uniqueVarId += 1;
    // tfjs variable names must be unique per engine; the Keras name lives in `name`/`path`.
    this.value = tf.variable(args.initialValue, false, `${args.path}__opt${uniqueVarId}`);
  }

  get shape(): number[] {
    return this.value.shape;
  }

  get dtype(): tf.DataType {
    return this.value.dtype;
  }

  read(): tf.Tensor {
    return this.value;
  }

  assign(t: tf.Tensor): void {
    if (t.shape.join(',') !== this.value.shape.join(',')) {
      throw new Error(
        `Optimizer variable ${this.path} has shape [${this.value.shape}] not compatible with ` +
          `provided weight shape [${t.shape}].`,
      );
    }
    this.value.assign(t.dtype === this.value.dtype ? t : tf.cast(t, this.value.dtype));
  }

  dispose(): void {
    this.value.dispose();
  }
}
