import * as tf from '@tensorflow/tfjs-core';

/**
 * A running weighted mean held in two variables (Keras tracks the loss with a `Mean` metric), so
 * updating it is two device ops and reading it is the only host sync.
 */
export class MeanTracker {
  readonly name: string;
  private readonly total: tf.Variable;
  private readonly count: tf.Variable;

  constructor(name: string) {
    this.name = name;
    this.total = tf.variable(tf.scalar(0), false);
    this.count = tf.variable(tf.scalar(0), false);
  }

  /** Adds `value` with weight `weight` (the batch size); call inside a tidy. */
  update(value: tf.Tensor, weight: number): void {
    this.total.assign(tf.add(this.total, tf.mul(tf.cast(value, 'float32'), weight)));
    this.count.assign(tf.add(this.count, weight));
  }

  /** The mean as a scalar tensor (0 before any update, as Keras's Mean). */
  resultTensor(): tf.Tensor {
    return tf.divNoNan(this.total, this.count);
  }

  result(): number {
    const t = this.resultTensor();
    const v = (t.dataSync() as Float32Array)[0] as number;
    t.dispose();
    return v;
  }

  reset(): void {
    tf.tidy(() => {
      this.total.assign(tf.scalar(0));
      this.count.assign(tf.scalar(0));
    });
  }

  dispose(): void {
    this.total.dispose();
    this.count.dispose();
  }
}
