import * as tf from '@tensorflow/tfjs-core';
import { fastMaximum } from './fast-ops.js';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

/**
 * Adam as Keras 3 computes it: the bias correction folds into the step size,
 * `var -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)`.
 */
export class Adam extends Optimizer {
  static override className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  private momentums: OptimizerVariable[] = [];
  private velocities: OptimizerVariable[] = [];
  private velocityHats: OptimizerVariable[] = [];

  constructor(args: AdamArgs = {}) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.amsgrad = args.amsgrad ?? false;
  }

  protected buildSlots(vars: VariableLike[]): void {
    const [m, v] = this.addSlotGroups(vars, [{ name: 'momentum' }, { name: 'velocity' }]);
    this.momentums = m ?? [];
    this.velocities = v ?? [];
    if (this.amsgrad) this.velocityHats = this.addSlots(vars, 'velocity_hat');
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const { grad, ctx } = a;
    const m = this.momentums[a.index] as OptimizerVariable;
    const v = this.velocities[a.index] as OptimizerVariable;
    const b1Power = ctx.power(this.beta1);
    const b2Power = ctx.power(this.beta2);
    const alpha = ctx.memo('alpha', () =>
      tf.div(tf.mul(ctx.lr, tf.sqrt(tf.sub(1, b2Power))), tf.sub(1, b1Power)),
    );
    const newM = tf.add(m.value, tf.mul(tf.sub(grad, m.value), 1 - this.beta1));
    const newV = tf.add(v.value, tf.mul(tf.sub(tf.square(grad), v.value), 1 - this.beta2));
    const slots: [OptimizerVariable, tf.Tensor][] = [
      [m, newM],
      [v, newV],
    ];
    let denomV = newV;
    if (this.amsgrad) {
      const vHat = this.velocityHats[a.index] as OptimizerVariable;
      denomV = fastMaximum(vHat.value, newV);
      slots.push([vHat, denomV]);
    }
    const update = tf.div(tf.mul(newM, alpha), tf.add(tf.sqrt(denomV), this.epsilon));
    return { value: tf.sub(a.value, update), slots };
  }

  protected ownConfig(): Record<string, unknown> {
    return {
      beta_1: this.beta1,
      beta_2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}
