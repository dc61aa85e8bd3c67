import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import type { CallArgs, Config, ConfigValue, Shape } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';
import { type RecurrenceResult, recurrence, type StepFunction } from './recurrence.js';
import {
  isRecurrentCell,
  outputSizeOf,
  type RecurrentCell,
  stateShapesOf,
  stateSizesOf,
} from './rnn-cell.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';

export interface RNNOptions {
  /** Return the whole output sequence `(batch, time, units)` rather than the last output. */
  returnSequences?: boolean;
  /** Also return the final states: `[output, ...states]`. */
  returnState?: boolean;
  /** Process the sequence backwards (outputs come in processing order). */
  goBackwards?: boolean;
  /** Carry the last states of a batch over as the initial states of the next one. */
  stateful?: boolean;
  /** Kept for Keras configs: the loop is always unrolled eagerly here. */
  unroll?: boolean;
  /** Masked steps output zeros instead of repeating the last output. */
  zeroOutputForMask?: boolean;
}

export interface RNNArgs extends LayerArgs, RNNOptions {
  cell: RecurrentCell | RecurrentCell[];
}

type AnyTensor = Tensor | SymbolicTensor;

/**
 * Keras's RNN layer: runs a cell over the time axis of `(batch, time, ...)` inputs. Built-in
 * cells project the inputs of all timesteps in one product and run one product per step.
 * `apply(x, { initialState: [h0, ...] })` sets the initial states; masks skip timesteps.
 */
export class RNN extends Layer {
  static override className = 'RNN';
  readonly cell: RecurrentCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  /** Stateful layers: the states carried between batches (not weights, as in Keras). */
  states: tf.Variable[] | null = null;

  constructor(args: RNNArgs) {
    super(args);
    const cell = Array.isArray(args.cell) ? new StackedRNNCells({ cells: args.cell }) : args.cell;
    if (!isRecurrentCell(cell)) {
      throw new Error(
        'Argument `cell` should be a Layer with a `stateSize` (an integer or one integer per ' +
          `state) and a call([input, ...states]) method. Received: cell=${String(cell)}`,
      );
    }
    this.cell = cell;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    this.supportsMasking = true;
  }

  /** Keras's `layer(x, initial_state=...)`: initial states travel as extra inputs. */
  override apply(
    inputs: SymbolicTensor | SymbolicTensor[],
    args?: CallArgs,
  ): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor | Tensor[], args?: CallArgs): Tensor | Tensor[];
  override apply(
    inputs: AnyTensor | AnyTensor[],
    args?: CallArgs,
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  override apply(
    inputs: AnyTensor | AnyTensor[],
    args: CallArgs = {},
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const { initialState, ...rest } = args as CallArgs & {
      initialState?: AnyTensor | AnyTensor[] | null;
    };
    if (initialState === undefined || initialState === null) {
      return super.apply(inputs as Tensor, rest);
    }
    const seq = Array.isArray(inputs) ? inputs : [inputs];
    const states = Array.isArray(initialState) ? initialState : [initialState];
    return super.apply([...seq, ...states] as Tensor[], rest);
  }

  override build(inputShape: Shape | Shape[]): void {
    const seqShape = sequenceShapeOf(inputShape);
    this.checkSequenceRank(seqShape);
    const stepShape = stepShapeOf(seqShape);
    this.cell.maybeBuild(stepShape);
    if (this.stateful) {
      const batch = seqShape[0];
      if (typeof batch !== 'number') {
        throw new Error(
          'When using `stateful=True` in a RNN, the batch size must be static (pass batchSize or ' +
            `batchInputShape). Found dynamic batch size: sequence.shape=(${seqShape.map(String).join(', ')})`,
        );
      }
      this.createStateVariables(stepShape, batch);
    }
    super.build(inputShape);
  }

  private createStateVariables(stepShape: Shape, batch: number): void {
    for (const v of this.states ?? []) v.dispose();
    this.states = stateShapesOf(this.cell, stepShape).map((shape) =>
      tf.variable(tf.zeros(concreteShape(shape, batch)), false),
    );
  }

  /** Clears the carried states (to zeros), or sets them to `states`. */
  override resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) {
      throw new Error(`Layer "${this.name}" is not stateful: resetStates needs stateful=true.`);
    }
    if (this.states === null) return;
    const given = states === undefined ? null : Array.isArray(states) ? states : [states];
    this.states.forEach((v, i) => {
      const value = given ? given[i] : undefined;
      if (given && (value === undefined || value.shape.join(',') !== v.shape.join(','))) {
        throw new Error(
          `Layer "${this.name}": state ${i} expected shape (${v.shape.join(', ')}). ` +
            `Received: ${value ? `(${value.shape.join(', ')})` : 'nothing'}`,
        );
      }
      v.assign(value ?? tf.zerosLike(v));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const seqShape = sequenceShapeOf(inputShape);
    const stateShapes = stateShapesOf(this.cell, stepShapeOf(seqShape));
    // The output of a step has the shape of the first state, with the cell's output size.
    const first = stateShapes[0] as Shape;
    const step: Shape = [...first.slice(0, -1), outputSizeOf(this.cell)];
    const output: Shape = this.returnSequences
      ? [step[0] ?? null, seqShape[1] ?? null, ...step.slice(1)]
      : step;
    if (!this.returnState) return output;
    return [output, ...stateShapes];
  }

  override computeMask(
    _inputs: Tensor | Tensor[],
    mask?: Tensor | (Tensor | null)[] | null,
  ): Tensor | (Tensor | null)[] | null {
    const seqMask = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const outputMask = this.returnSequences ? seqMask : null;
    if (!this.returnState) return outputMask;
    return [outputMask, ...stateSizesOf(this.cell).map(() => null)];
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    // The tape keeps what the gradient needs, so the per-step intermediates can go.
    return tf.tidy(() => this.runSequence(inputs, args));
  }

  private runSequence(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    const [sequences, ...givenStates] = Array.isArray(inputs) ? inputs : [inputs];
    if (sequences === undefined) throw new Error(`Layer "${this.name}" received no inputs.`);
    this.checkSequenceRank(sequences.shape);
    const [batch, time] = sequences.shape as [number, number];
    const mask = Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null);
    if (mask !== null && (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time)) {
      throw new Error(
        `Layer "${this.name}" expected a mask of shape (${batch}, ${time}) for inputs of shape ` +
          `(${sequences.shape.join(', ')}). Received: mask.shape=(${mask.shape.join(', ')})`,
      );
    }
    const training = args.training === true;
    const initialStates = this.initialStates(sequences, givenStates);
    const fast = this.cell.runSequence?.({
      sequences,
      initialStates,
      training,
      goBackwards: this.goBackwards,
      mask,
      returnSequences: this.returnSequences,
      zeroOutputForMask: this.zeroOutputForMask,
    });
    const result = fast ?? this.stepThrough(sequences, initialStates, mask, training);
    this.cell.resetDropoutMasks?.();
    if (this.stateful && this.states) {
      this.states.forEach((v, i) => {
        v.assign(result.states[i] as Tensor);
      });
    }
    const output = this.returnSequences ? (result.outputs as Tensor) : result.lastOutput;
    return this.returnState ? [output, ...result.states] : output;
  }

  /** The general loop: the cell's step over every timestep. */
  private stepThrough(
    sequences: Tensor,
    initialStates: Tensor[],
    mask: Tensor | null,
    training: boolean,
  ): RecurrenceResult {
    let stepInputs: Tensor;
    let step: StepFunction;
    if (this.cell.planSequence) {
      const plan = this.cell.planSequence({ sequences, training });
      stepInputs = plan.inputs;
      step = plan.step;
    } else {
      const perm = [1, 0, ...sequences.shape.slice(2).map((_, i) => i + 2)];
      stepInputs = tf.transpose(sequences, perm);
      const cell = this.cell;
      step = (x, states) => {
        const out = cell.call([x, ...states], { training });
        const list = Array.isArray(out) ? out : [out, out];
        return { output: list[0] as Tensor, states: list.slice(1) };
      };
    }
    return recurrence({
      inputs: stepInputs,
      initialStates,
      step,
      goBackwards: this.goBackwards,
      mask,
      returnAllOutputs: this.returnSequences,
      zeroOutputForMask: this.zeroOutputForMask,
    });
  }

  private initialStates(sequences: Tensor, given: Tensor[]): Tensor[] {
    const batch = sequences.shape[0] as number;
    const shapes = stateShapesOf(this.cell, stepShapeOf(sequences.shape)).map((s) =>
      concreteShape(s, batch),
    );
    if (given.length > 0) {
      if (given.length !== shapes.length) {
        throw new Error(
          `Layer "${this.name}" expects ${shapes.length} initial state(s). Received: ${given.length}`,
        );
      }
      given.forEach((s, i) => {
        const want = shapes[i] as number[];
        if (s.shape.join(',') !== want.join(',')) {
          throw new Error(
            `Layer "${this.name}": initial state ${i} expected shape (${want.join(', ')}). ` +
              `Received: shape=(${s.shape.join(', ')})`,
          );
        }
      });
      return given;
    }
    if (this.stateful && this.states) {
      const expected = this.states[0]?.shape[0];
      if (expected !== batch) {
        throw new Error(
          `If an RNN is stateful, the batch size of the input sequences must be the same as the ` +
            `batch size of the initial state. Expected batch size: ${expected}. Received batch size: ${batch}`,
        );
      }
      return this.states.map((v) => tf.clone(v));
    }
    if (this.cell.getInitialState && !this.cell.stateShapes)
      return this.cell.getInitialState(batch);
    return shapes.map((shape) => tf.zeros(shape));
  }

  /** Rank of the sequences: the cell's step rank plus the time axis (3 for the vector cells). */
  protected expectedRank(): number {
    return (this.cell.stepRank ?? 2) + 1;
  }

  private checkSequenceRank(shape: readonly (number | null)[]): void {
    const rank = this.expectedRank();
    if (shape.length !== rank) {
      throw new Error(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=${rank} ` +
          `(batch, time, ...features), found ndim=${shape.length}. Full shape received: ` +
          `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`,
      );
    }
  }

  override getConfig(): Config {
    return this.getRNNConfig();
  }

  /** RNN's own config (subclasses that flatten their cell's options start from it). */
  getRNNConfig(): Config {
    return {
      ...super.getConfig(),
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
      cell: serializeKerasObject(this.cell),
    };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    opts: DeserializeOptions = {},
  ): T {
    const { cell, ...rest } = config;
    const cells = Array.isArray(cell)
      ? cell.map((c: ConfigValue) => deserializeKerasObject(c, { ...opts, kind: 'layers' }))
      : deserializeKerasObject(cell ?? null, { ...opts, kind: 'layers' });
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor({ ...configToArgs(rest), cell: cells });
  }
}

/** `(batch, time, ...features)` -> `(batch, ...features)`. */
function stepShapeOf(seqShape: readonly (number | null)[]): Shape {
  return [seqShape[0] ?? null, ...seqShape.slice(2)];
}

/** A state shape with the batch filled in (the other dims are known once the cell is built). */
function concreteShape(shape: Shape, batch: number): number[] {
  return shape.map((d, i) => (i === 0 ? batch : (d as number)));
}

function sequenceShapeOf(inputShape: Shape | Shape[]): Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
}
