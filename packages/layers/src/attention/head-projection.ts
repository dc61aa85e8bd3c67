import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { LayerVariable } from '../engine/variable.js';
import type { Initializer } from '../initializers/initializer.js';
import type { Regularizer } from '../regularizers/regularizer.js';

export interface HeadProjectionArgs extends LayerArgs {
  /** Heads and units per head of an input projection; null for the output projection. */
  heads: number | null;
  units: number | null;
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  biasConstraint: Constraint | null;
}

/**
 * The EinsumDense projections inside MultiHeadAttention, with Keras's weight shapes: input
 * projections `kernel (dim, heads, units)`, `bias (heads, units)`; the output projection
 * `kernel (heads, value_dim, ...out)`, `bias (...out)`. Computed as one 2-D product each.
 */
export class HeadProjection extends Layer {
  static override className = 'HeadProjection';
  readonly heads: number | null;
  readonly units: number | null;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  private outputDims: number[] = [];

  constructor(args: HeadProjectionArgs) {
    super(args);
    this.heads = args.heads;
    this.units = args.units;
    this.useBias = args.useBias;
    this.kernelInitializer = args.kernelInitializer;
    this.biasInitializer = args.biasInitializer;
    this.kernelRegularizer = args.kernelRegularizer;
    this.biasRegularizer = args.biasRegularizer;
    this.kernelConstraint = args.kernelConstraint;
    this.biasConstraint = args.biasConstraint;
  }

  /** Creates the weights (MultiHeadAttention.build calls this with the input sizes). */
  buildProjection(args: { inputDim: number; kernelShape?: number[]; outputDims?: number[] }): void {
    if (this.built) return;
    this.outputDims = args.outputDims ?? [this.heads as number, this.units as number];
    const kernelShape = args.kernelShape ?? [args.inputDim, ...this.outputDims];
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: kernelShape,
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: this.outputDims,
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.built = true;
  }

  /** `[..., dim] -> [..., heads, units]`. */
  project(x: Tensor): Tensor {
    return this.projectOut(x, 1);
  }

  /** Contracts the last `contracted` axes of `x` with the kernel's leading axes. */
  projectOut(x: Tensor, contracted: number): Tensor {
    const kernel = (this.kernel as LayerVariable).read();
    const lead = x.shape.slice(0, x.rank - contracted);
    const inSize = x.shape.slice(x.rank - contracted).reduce((a, b) => a * b, 1);
    const outSize = this.outputDims.reduce((a, b) => a * b, 1);
    const flat = tf.matMul(tf.reshape(x, [-1, inSize]), tf.reshape(kernel, [inSize, outSize]));
    const withBias = this.bias ? tf.add(flat, tf.reshape(this.bias.read(), [outSize])) : flat;
    return tf.reshape(withBias, [...lead, ...this.outputDims]);
  }
}
