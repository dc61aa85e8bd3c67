import * as tf from '@tensorflow/tfjs-core';
import { type TensorInput, toFloatTensor } from '../losses/loss.js';
import { autoName } from '../optimizers/naming.js';
import { OptimizerVariable } from '../optimizers/variable.js';

export type { TensorInput };

/** Options every metric takes. */
export interface MetricArgs {
  name?: string;
  /** Kept for Keras config compatibility; metrics accumulate in float32. */
  dtype?: string | null;
}

/**
 * Keras 3 `keras.metrics.Metric`: state lives in tf.Variables, so `updateState` is a few ops and
 * assigns with no host read; `result()` returns a tensor; `resetState()` zeroes the state.
 */
export abstract class Metric {
  static className = 'Metric';
  readonly name: string;
  readonly dtype: string;
  private readonly own: OptimizerVariable[] = [];
  private readonly children: Metric[] = [];

  constructor(args: MetricArgs = {}) {
    this.name = args.name ?? autoName((this.constructor as typeof Metric).className);
    this.dtype = args.dtype ?? 'float32';
  }

  /** State variables (own, then those of sub-metrics), as Keras lists them. */
  get variables(): OptimizerVariable[] {
    return [...this.own, ...this.children.flatMap((m) => m.variables)];
  }

  protected addVariable(args: { name: string; shape: number[]; init?: number }): OptimizerVariable {
    const v = new OptimizerVariable({
      name: args.name,
      path: `${this.name.replaceAll('/', '>')}/${args.name}`,
      initialValue: tf.fill(args.shape, args.init ?? 0, 'float32'),
    });
    this.own.push(v);
    return v;
  }

  protected trackMetric<M extends Metric>(m: M): M {
    this.children.push(m);
    return m;
  }

  /** Accumulates a batch into the state. */
  abstract updateState(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): void;

  /** The metric value from the state (a new tensor; the caller disposes it). */
  abstract result(): tf.Tensor;

  /** Zeroes every state variable. */
  resetState(): void {
    tf.tidy(() => {
      for (const v of this.variables) v.value.assign(tf.zerosLike(v.value));
    });
  }

  /** Keras `__call__`: update with this batch, then return the result. */
  call(
    yTrue: TensorInput,
    yPred?: TensorInput | null,
    sampleWeight?: TensorInput | null,
  ): tf.Tensor {
    this.updateState(yTrue, yPred, sampleWeight);
    return this.result();
  }

  /** Keras 3 `get_config()`. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype };
  }

  /** Keras `from_config`: snake_case config keys become constructor options. */
  static fromConfig<T extends Metric>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Record<string, unknown>,
  ): T {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) {
      if (k !== 'fn') args[k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
    }
    return new this(args);
  }

  /** Frees the state variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** `a / b`, 0 where `b` is 0 (Keras `divide_no_nan`). */
export function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const zero = tf.equal(b, 0);
  const safe = tf.where(zero, tf.onesLike(b), b);
  const q = tf.div(a, safe);
  return tf.where(zero, tf.zerosLike(q), q);
}

export function asFloat(x: TensorInput): tf.Tensor {
  return toFloatTensor(x);
}
