import * as tf from '@tensorflow/tfjs-core';
import { fastMaximum } from './fast-ops.js';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface AdamaxArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras 3 `Adamax` (Adam with the infinity norm). */
export class Adamax extends Optimizer {
  static override className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private m: OptimizerVariable[] = [];
  private u: OptimizerVariable[] = [];

  constructor(args: AdamaxArgs = {}) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected buildSlots(vars: VariableLike[]): void {
    const [m, u] = this.addSlotGroups(vars, [{ name: 'momentum' }, { name: 'norm' }]);
    this.m = m ?? [];
    this.u = u ?? [];
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const { grad, ctx } = a;
    const m = this.m[a.index] as OptimizerVariable;
    const u = this.u[a.index] as OptimizerVariable;
    const b1Power = ctx.power(this.beta1);
    const newM = tf.add(m.value, tf.mul(tf.sub(grad, m.value), 1 - this.beta1));
    const newU = fastMaximum(tf.mul(this.beta2, u.value), tf.abs(grad));
    const update = tf.div(
      tf.mul(ctx.lr, newM),
      tf.mul(tf.sub(1, b1Power), tf.add(newU, this.epsilon)),
    );
    return {
      value: tf.sub(a.value, update),
      slots: [
        [m, newM],
        [u, newU],
      ],
    };
  }

  protected ownConfig(): Record<string, unknown> {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
