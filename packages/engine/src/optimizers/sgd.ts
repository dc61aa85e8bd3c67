import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type StepContext, type StepResult } from './optimizer.js';
import type { OptimizerVariable, VariableLike } from './variable.js';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

/** Gradient descent with optional (Nesterov) momentum; Keras 3 `SGD` (default lr 0.01). */
export class SGD extends Optimizer {
  static override className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  private momentums: OptimizerVariable[] = [];

  constructor(args: SGDArgs = {}) {
    super(args, 0.01);
    const momentum = args.momentum ?? 0.0;
    if (typeof momentum !== 'number' || momentum < 0 || momentum > 1) {
      throw new Error(
        `\`momentum\` must be a float between [0, 1]. Received: momentum=${momentum}`,
      );
    }
    this.momentum = momentum;
    this.nesterov = args.nesterov ?? false;
  }

  protected buildSlots(vars: VariableLike[]): void {
    if (this.momentum !== 0) this.momentums = this.addSlots(vars, 'momentum');
  }

  protected updateStep(a: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult {
    const step = tf.mul(a.grad, a.ctx.lr);
    if (this.momentum === 0) return { value: tf.sub(a.value, step), slots: [] };
    const m = this.momentums[a.index] as OptimizerVariable;
    const newM = tf.sub(tf.mul(m.value, this.momentum), step);
    // Keras's Nesterov form: var += momentum * m_new - lr * g.
    const delta = this.nesterov ? tf.sub(tf.mul(newM, this.momentum), step) : newM;
    return { value: tf.add(a.value, delta), slots: [[m, newM]] };
  }

  protected ownConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
