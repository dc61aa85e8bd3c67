import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface LambArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras 3 `Lamb`: Adam's direction scaled by the layer-wise trust ratio ||w|| / ||update||. */
export class Lamb extends Optimizer {
  static override className = 'Lamb';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private momentums: OptimizerVariable[] = [];
  private velocities: OptimizerVariable[] = [];

  constructor(args: LambArgs = {}) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected buildSlots(vars: VariableLike[]): void {
    const [m, v] = this.addSlotGroups(vars, [{ name: 'momentum' }, { name: 'velocity' }]);
    this.momentums = m ?? [];
    this.velocities = v ?? [];
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
    const newM = tf.add(m.value, tf.mul(tf.sub(grad, m.value), 1 - this.beta1));
    const newV = tf.add(v.value, tf.mul(tf.sub(tf.square(grad), v.value), 1 - this.beta2));
    const mHat = tf.div(newM, tf.sub(1, b1Power));
    const vSqrt = tf.add(tf.sqrt(tf.div(newV, tf.sub(1, b2Power))), this.epsilon);
    const update = tf.div(mHat, vSqrt);
    const wNorm = tf.sqrt(tf.sum(tf.square(a.value)));
    const gNorm = tf.sqrt(tf.sum(tf.square(update)));
    const one = tf.onesLike(wNorm);
    const ratio = tf.where(
      tf.greater(wNorm, 0),
      tf.where(tf.greater(gNorm, 0), tf.div(wNorm, gNorm), one),
      one,
    );
    return {
      value: tf.sub(a.value, tf.mul(tf.mul(ratio, ctx.lr), update)),
      slots: [
        [m, newM],
        [v, newV],
      ],
    };
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
