import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface LionArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
}

/** Keras 3 `Lion`: sign of the interpolated momentum. */
export class Lion extends Optimizer {
  static override className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;
  private momentums: OptimizerVariable[] = [];

  constructor(args: LionArgs = {}) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.99;
    if (this.beta1 <= 0 || this.beta1 > 1) {
      throw new Error(
        'Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates ' +
          `to SignSGD. Received: beta_1=${this.beta1}.`,
      );
    }
  }

  protected buildSlots(vars: VariableLike[]): void {
    this.momentums = this.addSlots(vars, 'momentum');
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const { grad } = a;
    const m = this.momentums[a.index] as OptimizerVariable;
    const direction = tf.sign(tf.add(tf.mul(m.value, this.beta1), tf.mul(grad, 1 - this.beta1)));
    const newM = tf.add(tf.mul(m.value, this.beta2), tf.mul(grad, 1 - this.beta2));
    return { value: tf.sub(a.value, tf.mul(a.ctx.lr, direction)), slots: [[m, newM]] };
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta_1: this.beta1, beta_2: this.beta2 };
  }
}
