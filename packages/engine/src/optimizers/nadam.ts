import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface NadamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras 3 `Nadam` (Adam with Nesterov momentum and the 0.96 momentum schedule). */
export class Nadam extends Optimizer {
  static override className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private momentums: OptimizerVariable[] = [];
  private velocities: OptimizerVariable[] = [];
  private uProduct: OptimizerVariable | null = null;
  /** The u-product of the step being computed, shared by every variable's update. */
  private stepUProduct: tf.Tensor | null = null;

  constructor(args: NadamArgs = {}) {
    super(args, 0.001);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected buildSlots(vars: VariableLike[]): void {
    const [m, v] = this.addSlotGroups(vars, [{ name: 'momentum' }, { name: 'velocity' }]);
    this.momentums = m ?? [];
    this.velocities = v ?? [];
    // Keras creates this after the slots, so it is the last entry of `variables`.
    this.uProduct = this.addVariable({ name: 'u_product', initialValue: tf.scalar(1) });
  }

  /** Keras's momentum schedule `beta_1 * (1 - 0.5 * 0.96^t)` at this step (`next`: at t + 1). */
  private mu(ctx: StepContext, next: boolean): tf.Tensor {
    return ctx.memo(next ? 'u_t1' : 'u_t', () => {
      const decay = next ? tf.mul(ctx.power(0.96), 0.96) : ctx.power(0.96);
      return tf.mul(this.beta1, tf.sub(1, tf.mul(0.5, decay)));
    });
  }

  protected override updateAll(
    grads: tf.Tensor[],
    values: tf.Tensor[],
    indices: number[],
    ctx: StepContext,
  ): { values: tf.Tensor[]; slots: [OptimizerVariable, tf.Tensor][] } {
    const u = this.uProduct as OptimizerVariable;
    const newU = tf.mul(u.value, this.mu(ctx, false));
    this.stepUProduct = newU;
    try {
      const out = super.updateAll(grads, values, indices, ctx);
      out.slots.push([u, newU]);
      return out;
    } finally {
      this.stepUProduct = null;
    }
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const { grad, ctx } = a;
    const uProductT = this.stepUProduct as tf.Tensor;
    const uT = this.mu(ctx, false);
    const uT1 = this.mu(ctx, true);
    const uProductT1 = ctx.memo('u_product_t1', () => tf.mul(uProductT, uT1));
    const b2Power = ctx.power(this.beta2);
    const m = this.momentums[a.index] as OptimizerVariable;
    const v = this.velocities[a.index] as OptimizerVariable;
    const newM = tf.add(m.value, tf.mul(tf.sub(grad, m.value), 1 - this.beta1));
    const newV = tf.add(v.value, tf.mul(tf.sub(tf.square(grad), v.value), 1 - this.beta2));
    const mHat = tf.add(
      tf.div(tf.mul(uT1, newM), tf.sub(1, uProductT1)),
      tf.div(tf.mul(tf.sub(1, uT), grad), tf.sub(1, uProductT)),
    );
    const vHat = tf.div(newV, tf.sub(1, b2Power));
    const update = tf.div(tf.mul(mHat, ctx.lr), tf.add(tf.sqrt(vHat), this.epsilon));
    return {
      value: tf.sub(a.value, update),
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
