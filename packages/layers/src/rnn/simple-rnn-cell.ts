import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../engine/types.js';
import { matMulFast } from './fast-ops.js';
import { type CellWeightArgs, GateCell } from './gate-cell.js';
import type { SequencePlan } from './rnn-cell.js';

export type SimpleRNNCellArgs = Omit<CellWeightArgs, 'recurrentActivation'>;

/** Keras's SimpleRNNCell: `h = activation(x @ kernel + bias + h_prev @ recurrent_kernel)`. */
export class SimpleRNNCell extends GateCell {
  static override className = 'SimpleRNNCell';
  readonly stateSize: number;
  readonly outputSize: number;

  constructor(args: SimpleRNNCellArgs) {
    super(args, { activation: 'tanh', recurrentActivation: 'linear' });
    this.stateSize = this.units;
    this.outputSize = this.units;
  }

  protected gateCount(): number {
    return 1;
  }

  protected biasShape(): number[] {
    return [this.units];
  }

  planSequence(args: { sequences: Tensor; training: boolean }): SequencePlan {
    const { inputs, recurrentMask, kernels, recurrentKernels, biases } = this.prepareSequence(args);
    const [kernel, recurrentKernel] = [kernels[0] as Tensor, recurrentKernels[0] as Tensor];
    const bias = biases ? (biases[0] as Tensor) : null;
    const act = this.activation;
    return {
      inputs,
      step: (x, states) => {
        const h = states[0] as Tensor;
        const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
        let z = tf.add(matMulFast(x, kernel), matMulFast(hIn, recurrentKernel));
        if (bias) z = tf.add(z, bias);
        const hNew = act(z);
        return { output: hNew, states: [hNew] };
      },
    };
  }

  override getConfig(): Config {
    const { recurrent_activation: _unused, ...config } = super.getConfig();
    return config;
  }
}
