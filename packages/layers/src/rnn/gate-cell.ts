import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationFn, ActivationIdentifier } from '../activations/index.js';
import * as activations from '../activations/index.js';
import type { Constraint } from '../constraints/constraint.js';
import * as constraints from '../constraints/index.js';
import type { LayerArgs } from '../engine/layer.js';
import type { Config, Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import * as initializers from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { checkDropoutRate, createDropoutMask, createDropoutMasks } from './dropout-mask.js';
import type { RecurrenceResult } from './recurrence.js';
import { FusedRNNCell } from './rnn-cell.js';

/** A sequence ready for its steps (see GateCell.prepareSequence). */
export interface PreparedSequence {
  inputs: Tensor;
  /** Per-gate input masks `[batch, features]` (else any input mask is already in `inputs`). */
  inputMasks: Tensor[] | null;
  /** Recurrent masks `[batch, units]`: one per gate, or a single one shared by the gates. */
  recurrentMasks: Tensor[] | null;
  kernels: Tensor[];
  recurrentKernels: Tensor[];
  biases: Tensor[] | null;
}

/** Options shared by SimpleRNNCell, LSTMCell and GRUCell (Keras's argument names, camelCase). */
export interface CellWeightArgs extends LayerArgs {
  units: number;
  activation?: ActivationIdentifier | null;
  recurrentActivation?: ActivationIdentifier | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  recurrentInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  recurrentRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  recurrentConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
  dropout?: number;
  recurrentDropout?: number;
  seed?: number | null;
  /** Keras version that wrote the config: below 3, `hard_sigmoid` is Keras 2's `clip(0.2x + 0.5)`. */
  kerasVersion?: number | string;
  /** Keras 2's implementation mode; the math is the same, it is kept for the config only. */
  implementation?: number;
}

/**
 * The weights, activations and dropout every built-in gated cell shares: kernel
 * (input_dim, gates * units), recurrent_kernel (units, gates * units), bias. Subclasses give the
 * gate count, the bias shape and the step.
 */
export abstract class GateCell extends FusedRNNCell {
  readonly units: number;
  readonly activation: ActivationFn;
  readonly recurrentActivation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly recurrentConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly implementation: number;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: CellWeightArgs, defaults: { activation: string; recurrentActivation: string }) {
    super(args);
    const { units } = args;
    if (typeof units !== 'number' || !Number.isInteger(units) || units <= 0) {
      throw new Error(
        `Received an invalid value for "units", expected a positive integer. Received: units=${String(units)}`,
      );
    }
    this.units = units;
    const actOpts = args.kerasVersion === undefined ? {} : { kerasVersion: args.kerasVersion };
    this.activation = activations.get(
      args.activation === undefined ? defaults.activation : args.activation,
      actOpts,
    );
    this.recurrentActivation = activations.get(
      args.recurrentActivation === undefined
        ? defaults.recurrentActivation
        : args.recurrentActivation,
      actOpts,
    );
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(
      args.kernelInitializer ?? 'glorot_uniform',
    ) as Initializer;
    this.recurrentInitializer = initializers.get(
      args.recurrentInitializer ?? 'orthogonal',
    ) as Initializer;
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros') as Initializer;
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer ?? null);
    this.recurrentRegularizer = regularizers.get(args.recurrentRegularizer ?? null);
    this.biasRegularizer = regularizers.get(args.biasRegularizer ?? null);
    this.kernelConstraint = constraints.get(args.kernelConstraint ?? null) as Constraint | null;
    this.recurrentConstraint = constraints.get(
      args.recurrentConstraint ?? null,
    ) as Constraint | null;
    this.biasConstraint = constraints.get(args.biasConstraint ?? null) as Constraint | null;
    this.dropout = checkDropoutRate('dropout', args.dropout);
    this.recurrentDropout = checkDropoutRate('recurrent_dropout', args.recurrentDropout);
    this.seed = args.seed ?? null;
    this.implementation = args.implementation ?? 2;
  }

  /** Number of gate blocks in the kernels (1, 3 or 4). */
  protected abstract gateCount(): number;
  /** Shape of the bias weight. */
  protected abstract biasShape(): number[];

  /** The bias initializer build uses (LSTM's unit_forget_bias wraps the configured one). */
  protected biasInitializerForBuild(): Initializer {
    return this.biasInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inputDim = shape[shape.length - 1];
    if (typeof inputDim !== 'number') {
      throw new Error(
        `Cell "${this.name}" needs a known last input dimension. Received: input_shape=(${shape.join(', ')})`,
      );
    }
    const width = this.gateCount() * this.units;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, width],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, width],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight({
          name: 'bias',
          shape: this.biasShape(),
          initializer: this.biasInitializerForBuild(),
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    super.build(inputShape);
  }

  /** The input-side bias, one row per gate (GRU with reset_after splits its bias further). */
  protected inputBiases(): Tensor[] | null {
    if (!this.bias) return null;
    const n = this.gateCount();
    return n === 1 ? [this.bias.read()] : tf.split(this.bias.read(), n, 0);
  }

  /**
   * Everything a sequence needs before its first step: the time-major inputs `[time, batch,
   * features]` with the input dropout mask (one per sequence) applied, the recurrent dropout
   * mask, and the kernels split per gate.
   *
   * Why per-gate products rather than one `x @ kernel` for all timesteps and a split per step:
   * on wasm, taking a step (or a gate) out of a larger tensor costs a copy of the whole tensor
   * (Slice) or ~35 ns per element (Gather), several times the cost of the small products
   * themselves; per-gate kernels are split once per sequence, so no step slices anything but the
   * raw input row.
   */
  protected prepareSequence(args: { sequences: Tensor; training: boolean }): PreparedSequence {
    const x = args.sequences;
    if (x.rank !== 3) {
      throw new Error(
        `Cell "${this.name}" expects sequences of rank 3 (batch, time, features). ` +
          `Received: shape=(${x.shape.join(', ')})`,
      );
    }
    const [batch, , features] = x.shape as [number, number, number];
    const kernel = (this.kernel as LayerVariable).read();
    if (kernel.shape[0] !== features) {
      throw new Error(
        `Cell "${this.name}" was built for ${kernel.shape[0]} input features. ` +
          `Received: input shape=(${x.shape.join(', ')})`,
      );
    }
    const n = this.gateCount();
    const perGate = this.perGateMasks();
    let inputs = x;
    let inputMasks: Tensor[] | null = null;
    if (args.training && this.dropout > 0) {
      if (perGate) {
        inputMasks = createDropoutMasks({
          shape: [batch, features],
          rate: this.dropout,
          count: n,
          seed: this.seed,
        });
      } else {
        const mask = createDropoutMask({
          shape: [batch, 1, features],
          rate: this.dropout,
          seed: this.seed,
        });
        inputs = tf.mul(inputs, mask);
      }
    }
    const recurrentMasks =
      args.training && this.recurrentDropout > 0
        ? createDropoutMasks({
            shape: [batch, this.units],
            rate: this.recurrentDropout,
            count: perGate ? n : 1,
            seed: this.seed === null ? null : this.seed + (perGate ? n : 1),
          })
        : null;
    return {
      inputs: tf.transpose(inputs, [1, 0, 2]),
      inputMasks,
      recurrentMasks,
      kernels: n === 1 ? [kernel] : tf.split(kernel, n, 1),
      recurrentKernels:
        n === 1
          ? [(this.recurrentKernel as LayerVariable).read()]
          : tf.split((this.recurrentKernel as LayerVariable).read(), n, 1),
      biases: this.inputBiases(),
    };
  }

  /**
   * Whether each gate draws its own dropout masks, as Keras's cells do in implementation 1,
   * which Keras 3 switches to whenever recurrent dropout is on (`dropout_mask_count`).
   */
  protected perGateMasks(): boolean {
    return this.gateCount() > 1 && (this.recurrentDropout > 0 || this.implementation === 1);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), ...cellWeightConfig(this) };
  }
}

/** The config keys every gated cell (and its layer) writes, in Keras's order. */
export function cellWeightConfig(cell: GateCell): Config {
  return {
    units: cell.units,
    activation: activations.serialize(cell.activation),
    recurrent_activation: activations.serialize(cell.recurrentActivation),
    use_bias: cell.useBias,
    kernel_initializer: initializers.serialize(cell.kernelInitializer),
    recurrent_initializer: initializers.serialize(cell.recurrentInitializer),
    bias_initializer: initializers.serialize(cell.biasInitializer),
    kernel_regularizer: regularizers.serialize(cell.kernelRegularizer),
    recurrent_regularizer: regularizers.serialize(cell.recurrentRegularizer),
    bias_regularizer: regularizers.serialize(cell.biasRegularizer),
    kernel_constraint: constraints.serialize(cell.kernelConstraint),
    recurrent_constraint: constraints.serialize(cell.recurrentConstraint),
    bias_constraint: constraints.serialize(cell.biasConstraint),
    dropout: cell.dropout,
    recurrent_dropout: cell.recurrentDropout,
    seed: cell.seed,
  };
}

/** `t` times gate k's dropout mask (the only mask when the gates share one), or `t` unmasked. */
export function maskForGate(t: Tensor, masks: Tensor[] | null, k: number): Tensor {
  if (masks === null) return t;
  return tf.mul(t, (masks.length === 1 ? masks[0] : masks[k]) as Tensor);
}

/**
 * A whole-sequence op's `[time, batch, units]` hidden states as the RNN's result: the last step
 * is the output and the only state; the sequence goes batch-major when it was asked for.
 */
export function sequenceResult(
  hs: Tensor,
  units: number,
  returnSequences: boolean,
): RecurrenceResult {
  const [time, batch] = hs.shape as [number, number];
  const last = tf.reshape(tf.slice(hs, [time - 1, 0, 0], [1, batch, units]), [batch, units]);
  const outputs = returnSequences ? tf.transpose(hs, [1, 0, 2]) : null;
  return { lastOutput: last, outputs, states: [last] };
}

/** `[batch, time]` mask -> float `[time, batch, 1]` in processing order. */
export function timeMajorMask(mask: Tensor, goBackwards: boolean): Tensor {
  const m = tf.expandDims(tf.transpose(tf.cast(tf.notEqual(mask, 0), 'float32')), 2);
  return goBackwards ? tf.reverse(m, 0) : m;
}

/**
 * The RNN's result from a masked whole-sequence op, whose output carries the state over masked
 * steps: the state is the last step's; a step's output is its state once some step up to it
 * was kept (zeros before: the previous output starts at zeros), or, with `zeroOutputForMask`,
 * its state where the step is kept and zeros elsewhere.
 */
export function maskedSequenceResult(args: {
  states: Tensor;
  stepMask: Tensor;
  units: number;
  returnSequences: boolean;
  zeroOutputForMask: boolean;
}): RecurrenceResult {
  const { states, stepMask, units } = args;
  const time = stepMask.shape[0] as number;
  const seen = tf.minimum(tf.cumsum(stepMask, 0), 1);
  const shown = args.zeroOutputForMask ? stepMask : seen;
  if (!args.returnSequences) {
    const lastShown = tf.reshape(tf.slice(shown, [time - 1, 0, 0], [1, -1, 1]), [-1, 1]);
    return { lastOutput: tf.mul(states, lastShown), outputs: null, states: [states] };
  }
  const result = sequenceResult(states, units, true);
  const outputs = tf.mul(result.outputs as Tensor, tf.transpose(shown, [1, 0, 2]));
  const lastShown = tf.reshape(tf.slice(shown, [time - 1, 0, 0], [1, -1, 1]), [-1, 1]);
  return { lastOutput: tf.mul(result.lastOutput, lastShown), outputs, states: result.states };
}
