import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { matMulFast, unstackFast } from './fast-ops.js';
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

  protected override inputBias(): Tensor | null {
    if (!this.bias) return null;
    const b = this.bias.read();
    return this.resetAfter ? tf.squeeze(tf.slice(b, [0, 0], [1, -1]), [0]) : b;
  }

  planSequence(args: { sequences: Tensor; training: boolean }): SequencePlan {
    const u = this.units;
    const { projected, recurrentMask } = this.projectSequence(args);
    const recurrentKernel = (this.recurrentKernel as LayerVariable).read();
    const act = this.activation;
    const recAct = this.recurrentActivation;
    const gates = (t: Tensor, n: number) => unstackFast(tf.reshape(t, [-1, n, u]), 1);
    if (this.resetAfter) {
      const recurrentBias = this.bias
        ? tf.squeeze(tf.slice(this.bias.read(), [1, 0], [1, -1]), [0])
        : null;
      return {
        inputs: projected,
        step: (xt, states) => {
          const h = states[0] as Tensor;
          const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
          let inner = matMulFast(hIn, recurrentKernel);
          if (recurrentBias) inner = tf.add(inner, recurrentBias);
          const [xz, xr, xh] = gates(xt, 3) as [Tensor, Tensor, Tensor];
          const [rz, rr, rh] = gates(inner, 3) as [Tensor, Tensor, Tensor];
          const z = recAct(tf.add(xz, rz));
          const r = recAct(tf.add(xr, rr));
          const hh = act(tf.add(xh, tf.mul(r, rh)));
          const hNew = blend(z, h, hh);
          return { output: hNew, states: [hNew] };
        },
      };
    }
    // reset_after=false needs (r * h) before the candidate's product, so the recurrent kernel is
    // split once per sequence into its z|r block and its h block.
    const [kernelZR, kernelH] = tf.split(recurrentKernel, [2 * u, u], 1) as [Tensor, Tensor];
    return {
      inputs: projected,
      step: (xt, states) => {
        const h = states[0] as Tensor;
        const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
        const [xz, xr, xh] = gates(xt, 3) as [Tensor, Tensor, Tensor];
        const [rz, rr] = gates(matMulFast(hIn, kernelZR), 2) as [Tensor, Tensor];
        const z = recAct(tf.add(xz, rz));
        const r = recAct(tf.add(xr, rr));
        const hh = act(tf.add(xh, matMulFast(tf.mul(r, hIn), kernelH)));
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
