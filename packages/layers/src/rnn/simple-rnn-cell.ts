import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../activations/index.js';
import type { Config } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { matMulFast } from './fast-ops.js';
import {
  type CellWeightArgs,
  GateCell,
  maskedSequenceResult,
  maskForGate,
  sequenceResult,
  timeMajorMask,
} from './gate-cell.js';
import type { RecurrenceResult } from './recurrence.js';
import type { SequencePlan, SequenceRunArgs } from './rnn-cell.js';
import { simpleRnnSequence } from './simple-rnn-sequence.js';

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
    const { inputs, recurrentMasks, kernels, recurrentKernels, biases } =
      this.prepareSequence(args);
    const [kernel, recurrentKernel] = [kernels[0] as Tensor, recurrentKernels[0] as Tensor];
    const bias = biases ? (biases[0] as Tensor) : null;
    const act = this.activation;
    return {
      inputs,
      step: (x, states) => {
        const h = states[0] as Tensor;
        const hIn = maskForGate(h, recurrentMasks, 0);
        let z = tf.add(matMulFast(x, kernel), matMulFast(hIn, recurrentKernel));
        if (bias) z = tf.add(z, bias);
        const hNew = act(z);
        return { output: hNew, states: [hNew] };
      },
    };
  }

  /**
   * The whole-sequence op (see simple-rnn-sequence.ts) for the default tanh without recurrent
   * dropout; anything else steps through the general loop.
   */
  runSequence(args: SequenceRunArgs): RecurrenceResult | null {
    const tanh = this.activation === activations.get('tanh');
    const recurrentDropout = args.training && this.recurrentDropout > 0;
    const empty = args.sequences.rank !== 3 || args.sequences.shape[1] === 0;
    if (!tanh || recurrentDropout || empty) return null;
    const { inputs } = this.prepareSequence({ sequences: args.sequences, training: args.training });
    const x = args.goBackwards ? tf.reverse(inputs, 0) : inputs;
    const u = this.units;
    const stepMask = args.mask === null ? null : timeMajorMask(args.mask, args.goBackwards);
    const op = simpleRnnSequence({ allOutputs: args.returnSequences, masked: stepMask !== null });
    const weights = [
      (this.kernel as LayerVariable).read(),
      (this.recurrentKernel as LayerVariable).read(),
      this.bias ? this.bias.read() : tf.zeros([u]),
    ] as const;
    const h0 = args.initialStates[0] as Tensor;
    const out = stepMask ? op(x, h0, ...weights, stepMask) : op(x, h0, ...weights);
    if (stepMask === null) {
      return args.returnSequences
        ? sequenceResult(out, u, true)
        : { lastOutput: out, outputs: null, states: [out] };
    }
    return maskedSequenceResult({
      states: out,
      stepMask,
      units: u,
      returnSequences: args.returnSequences,
      zeroOutputForMask: args.zeroOutputForMask ?? false,
    });
  }

  override getConfig(): Config {
    const { recurrent_activation: _unused, ...config } = super.getConfig();
    return config;
  }
}
