import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface FtrlArgs extends OptimizerArgs {
  learningRatePower?: number;
  initialAccumulatorValue?: number;
  l1RegularizationStrength?: number;
  l2RegularizationStrength?: number;
  l2ShrinkageRegularizationStrength?: number;
  beta?: number;
}

/**
 * `x ^ p` for x >= 0 (accumulators). The wasm Pow kernel is slow, so the common exponents use
 * sqrt / ones and the rest exp(p * log x), which keeps 0 ^ p = 0 for p > 0.
 */
function powNonNegative(x: tf.Tensor, p: number): tf.Tensor {
  if (p === 0) return tf.onesLike(x);
  if (p === 0.5) return tf.sqrt(x);
  if (p === 1) return x;
  return tf.exp(tf.mul(tf.log(x), p));
}

function checkNonNegative(name: string, value: number): void {
  if (value < 0) {
    throw new Error(`\`${name}\` needs to be positive or zero. Received: ${name}=${value}.`);
  }
}

/** Keras 3 `Ftrl` (Follow The Regularized Leader, with L1/L2 and shrinkage). */
export class Ftrl extends Optimizer {
  static override className = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;
  private accumulators: OptimizerVariable[] = [];
  private linears: OptimizerVariable[] = [];

  constructor(args: FtrlArgs = {}) {
    super(args, 0.001);
    this.learningRatePower = args.learningRatePower ?? -0.5;
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.l1RegularizationStrength = args.l1RegularizationStrength ?? 0;
    this.l2RegularizationStrength = args.l2RegularizationStrength ?? 0;
    this.l2ShrinkageRegularizationStrength = args.l2ShrinkageRegularizationStrength ?? 0;
    this.beta = args.beta ?? 0;
    checkNonNegative('initial_accumulator_value', this.initialAccumulatorValue);
    if (this.learningRatePower > 0) {
      throw new Error(
        '`learning_rate_power` needs to be negative or zero. Received: ' +
          `learning_rate_power=${this.learningRatePower}.`,
      );
    }
    checkNonNegative('l1_regularization_strength', this.l1RegularizationStrength);
    checkNonNegative('l2_regularization_strength', this.l2RegularizationStrength);
    checkNonNegative(
      'l2_shrinkage_regularization_strength',
      this.l2ShrinkageRegularizationStrength,
    );
  }

  protected buildSlots(vars: VariableLike[]): void {
    const [acc, lin] = this.addSlotGroups(vars, [
      { name: 'accumulator', init: this.initialAccumulatorValue },
      { name: 'linear' },
    ]);
    this.accumulators = acc ?? [];
    this.linears = lin ?? [];
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const { grad, ctx } = a;
    const lr = ctx.lr;
    const acc = this.accumulators[a.index] as OptimizerVariable;
    const lin = this.linears[a.index] as OptimizerVariable;
    const p = -this.learningRatePower;
    const l2 = tf.add(this.l2RegularizationStrength, tf.div(this.beta, tf.mul(2, lr)));
    const gradToUse = tf.add(grad, tf.mul(2 * this.l2ShrinkageRegularizationStrength, a.value));
    const newAcc = tf.add(acc.value, tf.square(grad));
    const sigma = tf.div(tf.sub(powNonNegative(newAcc, p), powNonNegative(acc.value, p)), lr);
    const newLin = tf.add(lin.value, tf.sub(gradToUse, tf.mul(sigma, a.value)));
    const quadratic = tf.add(tf.div(powNonNegative(newAcc, p), lr), tf.mul(2, l2));
    const l1 = this.l1RegularizationStrength;
    const clipped = tf.clipByValue(newLin, -l1, l1);
    return {
      value: tf.div(tf.sub(clipped, newLin), quadratic),
      slots: [
        [acc, newAcc],
        [lin, newLin],
      ],
    };
  }

  protected ownConfig(): Record<string, unknown> {
    return {
      learning_rate_power: this.learningRatePower,
      initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength,
      l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}
