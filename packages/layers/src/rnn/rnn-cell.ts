import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from '../engine/layer.js';
import type { CallArgs, Shape } from '../engine/types.js';
import type { RecurrenceResult, StepFunction } from './recurrence.js';

/** A whole sequence prepared by a fused cell: projected inputs and the per-step function. */
export interface SequencePlan {
  /** Time-major step inputs `[time, batch, features]`, usually `x @ kernel + bias` for all steps. */
  inputs: Tensor;
  step: StepFunction;
}

/**
 * What RNN needs from a cell (Keras's cell protocol). A user cell is any Layer with a
 * `stateSize` whose `call([input, ...states])` returns `[output, ...newStates]`.
 */
export interface RecurrentCell extends Layer {
  /** One size per state tensor (an integer for a single state). */
  stateSize: number | number[];
  /** Size of the output (defaults to the first state size). */
  outputSize?: number;
  getInitialState?(batchSize: number): Tensor[];
  /** Fused cells prepare a whole sequence at once (one matMul for all timesteps). */
  planSequence?(args: { sequences: Tensor; training: boolean }): SequencePlan;
  /** Forgets per-sequence dropout masks after a sequence. */
  resetDropoutMasks?(): void;
  /** A whole-sequence fast path; null when it does not apply (RNN then steps the cell). */
  runSequence?(args: SequenceRunArgs): RecurrenceResult | null;
  /** Rank of one step's input, batch included (2 unless the cell convolves, like ConvLSTM). */
  stepRank?: number;
  /** Shapes of the states for a step input shape (cells whose states are not `(batch, size)`). */
  stateShapes?(stepInputShape: Shape): Shape[];
}

/** Shapes of a cell's states for one step's input shape. */
export function stateShapesOf(cell: RecurrentCell, stepInputShape: Shape): Shape[] {
  if (cell.stateShapes) return cell.stateShapes(stepInputShape);
  return stateSizesOf(cell).map((s): Shape => [stepInputShape[0] ?? null, s]);
}

/** What RNN hands a cell's whole-sequence fast path. */
export interface SequenceRunArgs {
  /** `(batch, time, ...)` inputs. */
  sequences: Tensor;
  initialStates: Tensor[];
  training: boolean;
  goBackwards: boolean;
  mask: Tensor | null;
  returnSequences: boolean;
  /** Masked steps output zeros (else the last unmasked output); false when absent. */
  zeroOutputForMask?: boolean;
}

/** Whether `layer` follows the cell protocol. */
export function isRecurrentCell(layer: unknown): layer is RecurrentCell {
  return layer instanceof Layer && 'stateSize' in layer;
}

/** State sizes as a list. */
export function stateSizesOf(cell: RecurrentCell): number[] {
  return Array.isArray(cell.stateSize) ? [...cell.stateSize] : [cell.stateSize];
}

/** Output size of a cell: `outputSize`, else the first state size. */
export function outputSizeOf(cell: RecurrentCell): number {
  return cell.outputSize ?? (stateSizesOf(cell)[0] as number);
}

/**
 * Base of the built-in cells: they prepare a whole sequence at once (`planSequence`), and their
 * single-step `call([x, ...states])` runs the same math on a sequence of one.
 */
export abstract class FusedRNNCell extends Layer {
  abstract readonly stateSize: number | number[];
  abstract readonly outputSize: number;

  abstract planSequence(args: { sequences: Tensor; training: boolean }): SequencePlan;

  /** Built-in cells draw their dropout masks inside planSequence; nothing outlives a call. */
  resetDropoutMasks(): void {}

  getInitialState(batchSize: number): Tensor[] {
    const sizes = Array.isArray(this.stateSize) ? this.stateSize : [this.stateSize];
    return sizes.map((size) => tf.zeros([batchSize, size]));
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [x, ...states] = list;
    const sizes = Array.isArray(this.stateSize) ? this.stateSize : [this.stateSize];
    if (x === undefined || states.length !== sizes.length) {
      throw new Error(
        `Cell "${this.name}" expects [input, ...states] with ${sizes.length} state(s). ` +
          `Received: ${list.length} tensor(s)`,
      );
    }
    const plan = this.planSequence({
      sequences: tf.expandDims(x, 1),
      training: args.training === true,
    });
    const stepInput = tf.squeeze(plan.inputs, [0]);
    const result = plan.step(stepInput, states);
    return [result.output, ...result.states];
  }
}
