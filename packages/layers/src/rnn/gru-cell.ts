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
import { gruSequence } from './gru-sequence.js';
import type { RecurrenceResult } from './recurrence.js';
import type { SequencePlan, SequenceRunArgs } from './rnn-cell.js';

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
    const { inputs, inputMasks, recurrentMasks, kernels, recurrentKernels, biases } =
      this.prepareSequence(args);
    const recurrentBiases = this.recurrentBiases();
    const act = this.activation;
    const recAct = this.recurrentActivation;
    const inputPart = (k: number, x: Tensor) => {
      const z = matMulFast(maskForGate(x, inputMasks, k), kernels[k] as Tensor);
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
        // Each gate sees h through its own recurrent dropout mask; the blend uses h itself.
        const hIn = (k: number) => maskForGate(h, recurrentMasks, k);
        const z = recAct(tf.add(inputPart(0, x), recurrentPart(0, hIn(0))));
        const r = recAct(tf.add(inputPart(1, x), recurrentPart(1, hIn(1))));
        // reset_after applies r to the recurrent product (cuDNN's form); the older form applies
        // it to h before the product.
        const recurrentH = resetAfter
          ? tf.mul(r, recurrentPart(2, hIn(2)))
          : recurrentPart(2, tf.mul(r, hIn(2)));
        const hh = act(tf.add(inputPart(2, x), recurrentH));
        const hNew = blend(z, h, hh);
        return { output: hNew, states: [hNew] };
      },
    };
  }

  /**
   * The whole-sequence GRU op (see gru-sequence.ts) for Keras's default activations without
   * recurrent dropout or per-gate input masks; anything else steps through the general loop.
   */
  runSequence(args: SequenceRunArgs): RecurrenceResult | null {
    const defaults =
      this.activation === activations.get('tanh') &&
      this.recurrentActivation === activations.get('sigmoid');
    const perStepMasks =
      args.training && (this.recurrentDropout > 0 || (this.dropout > 0 && this.perGateMasks()));
    const empty = args.sequences.rank !== 3 || args.sequences.shape[1] === 0;
    if (!defaults || perStepMasks || empty) return null;
    const { inputs } = this.prepareSequence({ sequences: args.sequences, training: args.training });
    const x = args.goBackwards ? tf.reverse(inputs, 0) : inputs;
    const u = this.units;
    const bias = this.bias ? this.bias.read() : tf.zeros(this.biasShape());
    const stepMask = args.mask === null ? null : timeMajorMask(args.mask, args.goBackwards);
    const op = gruSequence({
      resetAfter: this.resetAfter,
      allOutputs: args.returnSequences,
      masked: stepMask !== null,
    });
    const weights = [
      (this.kernel as LayerVariable).read(),
      (this.recurrentKernel as LayerVariable).read(),
      bias,
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
    return { ...super.getConfig(), reset_after: this.resetAfter };
  }
}

/** `z * h + (1 - z) * hh`, written as `hh + z * (h - hh)` (one op fewer). */
function blend(z: Tensor, h: Tensor, hh: Tensor): Tensor {
  return tf.add(hh, tf.mul(z, tf.sub(h, hh)));
}
