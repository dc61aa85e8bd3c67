import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../engine/types.js';
import { matMulFast } from './fast-ops.js';
import { type CellWeightArgs, GateCell } from './gate-cell.js';
import type { SequencePlan } from './rnn-cell.js';

export interface GRUCellArgs extends CellWeightArgs {
  /**
   * Keras default true (cuDNN-compatible): the reset gate multiplies `h @ U_h + b_h` and the
   * bias has shape (2, 3 units), input and recurrent rows. False is the older formulation
   * (`(r * h) @ U_h`, bias (3 units,)) that Keras 2 and TF.js files use.
   */
  resetAfter?: boolean;
}

/** Keras's GRUCell: gates in the order update (z), reset (r), candidate (h); one state. */
export class GRUCell extends GateCell {
  static override className = 'GRUCell';
  readonly resetAfter: boolean;
  readonly stateSize: number;
  readonly outputSize: number;

  constructor(args: GRUCellArgs) {
    super(args, { activation: 'tanh', recurrentActivation: 'sigmoid' });
    this.resetAfter = args.resetAfter ?? true;
    this.stateSize = this.units;
    this.outputSize = this.units;
  }

  protected gateCount(): number {
    return 3;
  }

  protected biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBiases(): Tensor[] | null {
    if (!this.bias) return null;
    const b = this.bias.read();
    const row = this.resetAfter ? tf.squeeze(tf.slice(b, [0, 0], [1, -1]), [0]) : b;
    return tf.split(row, 3, 0);
  }

  /** reset_after's second bias row, added to the recurrent products. */
  private recurrentBiases(): Tensor[] | null {
    if (!this.bias || !this.resetAfter) return null;
    return tf.split(tf.squeeze(tf.slice(this.bias.read(), [1, 0], [1, -1]), [0]), 3, 0);
  }

  planSequence(args: { sequences: Tensor; training: boolean }): SequencePlan {
    const { inputs, recurrentMask, kernels, recurrentKernels, biases } = this.prepareSequence(args);
    const recurrentBiases = this.recurrentBiases();
    const act = this.activation;
    const recAct = this.recurrentActivation;
    const inputPart = (k: number, x: Tensor) => {
      const z = matMulFast(x, kernels[k] as Tensor);
      return biases ? tf.add(z, biases[k] as Tensor) : z;
    };
    const recurrentPart = (k: number, h: Tensor) => {
      const z = matMulFast(h, recurrentKernels[k] as Tensor);
      return recurrentBiases ? tf.add(z, recurrentBiases[k] as Tensor) : z;
    };
    const resetAfter = this.resetAfter;
    return {
      inputs,
      step: (x, states) => {
        const h = states[0] as Tensor;
        const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
        const z = recAct(tf.add(inputPart(0, x), recurrentPart(0, hIn)));
        const r = recAct(tf.add(inputPart(1, x), recurrentPart(1, hIn)));
        // reset_after applies r to the recurrent product (cuDNN's form); the older form applies
        // it to h before the product.
        const recurrentH = resetAfter
          ? tf.mul(r, recurrentPart(2, hIn))
          : recurrentPart(2, tf.mul(r, hIn));
        const hh = act(tf.add(inputPart(2, x), recurrentH));
        const hNew = blend(z, h, hh);
        return { output: hNew, states: [hNew] };
      },
    };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), reset_after: this.resetAfter };
  }
}

/** `z * h + (1 - z) * hh`, written as `hh + z * (h - hh)` (one op fewer). */
function blend(z: Tensor, h: Tensor, hh: Tensor): Tensor {
  return tf.add(hh, tf.mul(z, tf.sub(h, hh)));
}
