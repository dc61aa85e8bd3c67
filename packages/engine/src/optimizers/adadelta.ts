import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface AdadeltaArgs extends OptimizerArgs {
  rho?: number;
  epsilon?: number;
}

/** Keras 3 `Adadelta` (the learning rate scales the Adadelta step; default 0.001). */
export class Adadelta extends Optimizer {
  static override className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;
  private accGrads: OptimizerVariable[] = [];
  private accDeltas: OptimizerVariable[] = [];

  constructor(args: AdadeltaArgs = {}) {
    super(args, 0.001);
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected buildSlots(vars: VariableLike[]): void {
    const [g, d] = this.addSlotGroups(vars, [
      { name: 'accumulated_grad' },
      { name: 'accumulated_delta_var' },
    ]);
    this.accGrads = g ?? [];
    this.accDeltas = d ?? [];
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const { grad } = a;
    const rho = this.rho;
    const accG = this.accGrads[a.index] as OptimizerVariable;
    const accD = this.accDeltas[a.index] as OptimizerVariable;
    const rms = (x: tf.Tensor) => tf.sqrt(tf.add(x, this.epsilon));
    const newAccG = tf.add(tf.mul(rho, accG.value), tf.mul(1 - rho, tf.square(grad)));
    const delta = tf.neg(tf.div(tf.mul(rms(accD.value), grad), rms(newAccG)));
    const newAccD = tf.add(tf.mul(rho, accD.value), tf.mul(1 - rho, tf.square(delta)));
    return {
      value: tf.add(a.value, tf.mul(a.ctx.lr, delta)),
      slots: [
        [accG, newAccG],
        [accD, newAccD],
      ],
    };
  }

  protected ownConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
