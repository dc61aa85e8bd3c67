import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../engine/types.js';
import { Regularizer } from './regularizer.js';

function checkFactor(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(
      `Received an invalid value for "${name}", expected a non-negative number. Received: ${name}=${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** `l1 * sum(|x|) + l2 * sum(x^2)`. */
export class L1L2 extends Regularizer {
  static override className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor('l1', args.l1 ?? 0);
    this.l2 = checkFactor('l2', args.l2 ?? 0);
  }

  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let total: tf.Scalar = tf.scalar(0);
      if (this.l1 > 0) total = tf.add(total, tf.mul(this.l1, tf.sum(tf.abs(x))));
      if (this.l2 > 0) total = tf.add(total, tf.mul(this.l2, tf.sum(tf.square(x))));
      return total;
    });
  }

  override getConfig(): Config {
    return { l1: this.l1, l2: this.l2 };
  }
}

/** `l1 * sum(|x|)`. */
export class L1 extends Regularizer {
  static override className = 'L1';
  readonly l1: number;

  constructor(args: { l1?: number } = {}) {
    super();
    this.l1 = checkFactor('l1', args.l1 ?? 0.01);
  }

  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l1, tf.sum(tf.abs(x))));
  }

  override getConfig(): Config {
    return { l1: this.l1 };
  }
}

/** `l2 * sum(x^2)`. */
export class L2 extends Regularizer {
  static override className = 'L2';
  readonly l2: number;

  constructor(args: { l2?: number } = {}) {
    super();
    this.l2 = checkFactor('l2', args.l2 ?? 0.01);
  }

  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l2, tf.sum(tf.square(x))));
  }

  override getConfig(): Config {
    return { l2: this.l2 };
  }
}

/**
 * Keras's OrthogonalRegularizer: pushes the rows (or columns) of a 2D weight towards being
 * orthonormal: `factor * mean(|offdiag(W_n W_n^T)|)` with L2-normalised rows `W_n`.
 */
export class OrthogonalRegularizer extends Regularizer {
  static override className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: 'rows' | 'columns';

  constructor(args: { factor?: number; mode?: 'rows' | 'columns' } = {}) {
    super();
    this.factor = checkFactor('factor', args.factor ?? 0.01);
    const mode = args.mode ?? 'rows';
    if (mode !== 'rows' && mode !== 'columns') {
      throw new Error(
        `Received an invalid value for "mode", expected 'rows' or 'columns'. Received: mode=${JSON.stringify(mode)}`,
      );
    }
    this.mode = mode;
  }

  call(x: tf.Tensor): tf.Scalar {
    if (x.rank !== 2) {
      throw new Error(
        `OrthogonalRegularizer expects a 2D weight. Received: inputs.shape=[${x.shape.join(', ')}]`,
      );
    }
    return tf.tidy(() => {
      const m = this.mode === 'rows' ? x : tf.transpose(x);
      // Same normalisation as Keras's l2_normalize: x / sqrt(max(sum(x^2), 1e-12)).
      const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(m), 1, true), 1e-12));
      const n = tf.div(m, norm);
      const size = n.shape[0] as number;
      const product = tf.matMul(n, tf.transpose(n));
      const offDiag = tf.mul(product, tf.sub(1, tf.eye(size)));
      const count = size * size - size;
      return tf.mul(this.factor, tf.div(tf.sum(tf.abs(offDiag)), Math.max(count, 1))) as tf.Scalar;
    });
  }

  override getConfig(): Config {
    return { factor: this.factor, mode: this.mode };
  }
}
