import { epsilon } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../engine/types.js';
import { Constraint } from './constraint.js';

export type Axis = number | number[];

function norms(w: tf.Tensor, axis: Axis): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

/** Rescales each slice along `axis` so its L2 norm is at most `maxValue`. */
export class MaxNorm extends Constraint {
  static override className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;

  constructor(args: { maxValue?: number; axis?: Axis } = {}) {
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
  }

  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.clipByValue(n, 0, this.maxValue);
      return tf.mul(w, tf.div(desired, tf.add(epsilon(), n)));
    });
  }

  override getConfig(): Config {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

/** Keeps each slice's norm in `[minValue, maxValue]`, moved there at speed `rate`. */
export class MinMaxNorm extends Constraint {
  static override className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;

  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: Axis } = {}) {
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = args.axis ?? 0;
  }

  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.add(
        tf.mul(this.rate, tf.clipByValue(n, this.minValue, this.maxValue)),
        tf.mul(1 - this.rate, n),
      );
      return tf.mul(w, tf.div(desired, tf.add(epsilon(), n)));
    });
  }

  override getConfig(): Config {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Sets negative weights to zero. */
export class NonNeg extends Constraint {
  static override className = 'NonNeg';

  constructor(_args: Record<string, unknown> = {}) {
    super();
  }

  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(w, tf.cast(tf.greaterEqual(w, 0), w.dtype)));
  }
}

/** Divides each slice along `axis` by its L2 norm. */
export class UnitNorm extends Constraint {
  static override className = 'UnitNorm';
  readonly axis: Axis;

  constructor(args: { axis?: Axis } = {}) {
    super();
    this.axis = args.axis ?? 0;
  }

  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(w, tf.add(epsilon(), norms(w, this.axis))));
  }

  override getConfig(): Config {
    return { axis: this.axis };
  }
}
