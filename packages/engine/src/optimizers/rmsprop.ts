import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** Keras 3 `RMSprop`: epsilon inside the square root, optional momentum and centering. */
export class RMSprop extends Optimizer {
  static override className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  private velocities: OptimizerVariable[] = [];
  private momentums: OptimizerVariable[] = [];
  private averageGradients: OptimizerVariable[] = [];

  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001);
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0.0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }

  protected buildSlots(vars: VariableLike[]): void {
    this.velocities = this.addSlots(vars, 'velocity');
    if (this.momentum > 0) this.momentums = this.addSlots(vars, 'momentum');
    if (this.centered) this.averageGradients = this.addSlots(vars, 'average_gradient');
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const { grad, ctx } = a;
    const rho = this.rho;
    const vel = this.velocities[a.index] as OptimizerVariable;
    const newVel = tf.add(tf.mul(rho, vel.value), tf.mul(1 - rho, tf.square(grad)));
    const slots: [OptimizerVariable, tf.Tensor][] = [[vel, newVel]];
    let denominator: tf.Tensor;
    if (this.centered) {
      const avg = this.averageGradients[a.index] as OptimizerVariable;
      const newAvg = tf.add(tf.mul(rho, avg.value), tf.mul(1 - rho, grad));
      slots.push([avg, newAvg]);
      denominator = tf.add(tf.sub(newVel, tf.square(newAvg)), this.epsilon);
    } else {
      denominator = tf.add(newVel, this.epsilon);
    }
    const increment = tf.div(tf.mul(ctx.lr, grad), tf.sqrt(denominator));
    if (this.momentum > 0) {
      const mom = this.momentums[a.index] as OptimizerVariable;
      const newMom = tf.add(tf.mul(this.momentum, mom.value), increment);
      slots.push([mom, newMom]);
      return { value: tf.sub(a.value, newMom), slots };
    }
    return { value: tf.sub(a.value, increment), slots };
  }

  protected ownConfig(): Record<string, unknown> {
    return {
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
