import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../activations/index.js';
import type { Config } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { Initializer } from '../initializers/initializer.js';
import { matMulFast, unstackFast } from './fast-ops.js';
import {
  type CellWeightArgs,
  GateCell,
  maskedSequenceResult,
  maskForGate,
  sequenceResult,
  timeMajorMask,
} from './gate-cell.js';
import { lstmSequence } from './lstm-sequence.js';
import type { RecurrenceResult } from './recurrence.js';
import type { SequencePlan, SequenceRunArgs } from './rnn-cell.js';

export interface LSTMCellArgs extends CellWeightArgs {
  /** Keras default true: the forget gate's bias starts at 1. */
  unitForgetBias?: boolean;
}

/** Bias initializer of `unit_forget_bias`: `[init(units), ones(units), init(2 units)]`. */
class UnitForgetBias extends Initializer {
  static override className = 'UnitForgetBias';
  constructor(
    private readonly base: Initializer,
    private readonly units: number,
  ) {
    super();
  }
  call(shape: number[]): Tensor {
    const u = this.units;
    if (shape.length !== 1 || shape[0] !== 4 * u) {
      throw new Error(
        `LSTM bias must have shape (${4 * u},). Received: shape=(${shape.join(', ')})`,
      );
    }
    return tf.tidy(() =>
      tf.concat([this.base.call([u]), tf.ones([u]), this.base.call([2 * u])], 0),
    );
  }
}

/**
 * Keras's LSTMCell: gates in the order input, forget, cell, output; kernel (input_dim, 4 units),
 * recurrent_kernel (units, 4 units), bias (4 units); states [h, c]. Defaults are Keras's:
 * `recurrentActivation: 'sigmoid'`, `unitForgetBias: true`.
 */
export class LSTMCell extends GateCell {
  static override className = 'LSTMCell';
  readonly unitForgetBias: boolean;
  readonly stateSize: number[];
  readonly outputSize: number;

  constructor(args: LSTMCellArgs) {
    super(args, { activation: 'tanh', recurrentActivation: 'sigmoid' });
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.stateSize = [this.units, this.units];
    this.outputSize = this.units;
  }

  protected gateCount(): number {
    return 4;
  }

  protected biasShape(): number[] {
    return [4 * this.units];
  }

  protected override biasInitializerForBuild(): Initializer {
    return this.unitForgetBias
      ? new UnitForgetBias(this.biasInitializer, this.units)
      : this.biasInitializer;
  }

  planSequence(args: { sequences: Tensor; training: boolean }): SequencePlan {
    const { inputs, inputMasks, recurrentMasks, kernels, recurrentKernels, biases } =
      this.prepareSequence(args);
    const act = this.activation;
    const recAct = this.recurrentActivation;
    const gate = (k: number, x: Tensor, h: Tensor) => {
      const z = tf.add(
        matMulFast(maskForGate(x, inputMasks, k), kernels[k] as Tensor),
        matMulFast(maskForGate(h, recurrentMasks, k), recurrentKernels[k] as Tensor),
      );
      return biases ? tf.add(z, biases[k] as Tensor) : z;
    };
    return {
      inputs,
      step: (x, states) => {
        const [h, c] = states as [Tensor, Tensor];
        const i = recAct(gate(0, x, h));
        const f = recAct(gate(1, x, h));
        const g = act(gate(2, x, h));
        const o = recAct(gate(3, x, h));
        const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
        const hNew = tf.mul(o, act(cNew));
        return { output: hNew, states: [hNew, cNew] };
      },
    };
  }

  /**
   * The whole-sequence LSTM op (see lstm-sequence.ts) for Keras's default activations without
   * recurrent dropout or per-gate input masks; anything else steps through the general loop.
   */
  runSequence(args: SequenceRunArgs): RecurrenceResult | null {
    const defaults =
      this.activation === activations.get('tanh') &&
      this.recurrentActivation === activations.get('sigmoid');
    // Recurrent dropout, and per-gate input masks (each gate sees a different input), step.
    const recurrentDropout =
      args.training && (this.recurrentDropout > 0 || (this.dropout > 0 && this.perGateMasks()));
    const empty = args.sequences.rank !== 3 || args.sequences.shape[1] === 0;
    if (!defaults || recurrentDropout || empty) return null;
    const { inputs } = this.prepareSequence({ sequences: args.sequences, training: args.training });
    const x = args.goBackwards ? tf.reverse(inputs, 0) : inputs;
    const [time, batch] = x.shape as [number, number];
    const u = this.units;
    const [h0, c0] = args.initialStates as [Tensor, Tensor];
    const bias = this.bias ? this.bias.read() : tf.zeros([4 * u]);
    const stepMask = args.mask === null ? null : timeMajorMask(args.mask, args.goBackwards);
    const op = lstmSequence({ allOutputs: args.returnSequences, masked: stepMask !== null });
    const weights = [
      (this.kernel as LayerVariable).read(),
      (this.recurrentKernel as LayerVariable).read(),
      bias,
    ] as const;
    const packed = stepMask ? op(x, h0, c0, ...weights, stepMask) : op(x, h0, c0, ...weights);
    let hs: Tensor;
    let lastC: Tensor;
    if (args.returnSequences) {
      hs = tf.slice(packed, [0, 0, 0], [time, batch, u]);
      lastC = tf.reshape(tf.slice(packed, [time, 0, 0], [1, batch, u]), [batch, u]);
    } else {
      [hs, lastC] = unstackFast(packed, 0) as [Tensor, Tensor];
    }
    const result = stepMask
      ? maskedSequenceResult({
          states: hs,
          stepMask,
          units: u,
          returnSequences: args.returnSequences,
          zeroOutputForMask: args.zeroOutputForMask ?? false,
        })
      : args.returnSequences
        ? sequenceResult(hs, u, true)
        : { lastOutput: hs, outputs: null, states: [hs] };
    return { ...result, states: [result.states[0] as Tensor, lastC] };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), unit_forget_bias: this.unitForgetBias };
  }
}
