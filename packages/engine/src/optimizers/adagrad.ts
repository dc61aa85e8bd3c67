import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Keras 3 `Adagrad`: per-parameter rates from the running sum of squared gradients. */
export class Adagrad extends Optimizer {
  static override className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  private accumulators: OptimizerVariable[] = [];

  constructor(args: AdagradArgs = {}) {
    super(args, 0.001);
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected buildSlots(vars: VariableLike[]): void {
    this.accumulators = this.addSlots(vars, 'accumulator', this.initialAccumulatorValue);
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const acc = this.accumulators[a.index] as OptimizerVariable;
    const newAcc = tf.add(acc.value, tf.square(a.grad));
    const update = tf.div(tf.mul(a.ctx.lr, a.grad), tf.sqrt(tf.add(newAcc, this.epsilon)));
    return { value: tf.sub(a.value, update), slots: [[acc, newAcc]] };
  }

  protected ownConfig(): Record<string, unknown> {
    return { initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
