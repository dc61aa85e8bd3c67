import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { stackFast, unstackFast } from './fast-ops.js';

/** What one timestep of a cell returns. */
export interface StepResult {
  output: Tensor;
  states: Tensor[];
}

/** One timestep: the step's input and the previous states in, the output and new states out. */
export type StepFunction = (input: Tensor, states: Tensor[]) => StepResult;

export interface RecurrenceArgs {
  /** Time-major inputs `[time, batch, ...]`, one row per step (already projected, for fused cells). */
  inputs: Tensor;
  initialStates: Tensor[];
  step: StepFunction;
  /** Walk the sequence from the last step to the first (outputs stay in processing order). */
  goBackwards?: boolean;
  /** `[batch, time]`: where false, the step is skipped and the states carried over. */
  mask?: Tensor | null;
  /** Keep every step's output (return_sequences) rather than only the last one. */
  returnAllOutputs?: boolean;
  /** Masked steps output zeros instead of repeating the previous output. */
  zeroOutputForMask?: boolean;
}

export interface RecurrenceResult {
  lastOutput: Tensor;
  /** `[batch, time, ...]` in processing order, or null when only the last output was asked for. */
  outputs: Tensor | null;
  states: Tensor[];
}

/**
 * Keras's `backend.rnn`: runs `step` over the time axis with plain tf ops, so the tape can
 * differentiate through the whole sequence. Masked steps keep the previous states; their output
 * is the previous output (zeros before the first unmasked step), or zeros with
 * `zeroOutputForMask`.
 */
export function recurrence(args: RecurrenceArgs): RecurrenceResult {
  const { step, goBackwards = false, returnAllOutputs = false, zeroOutputForMask = false } = args;
  const steps = unstackFast(args.inputs, 0);
  const timesteps = steps.length;
  if (timesteps === 0) {
    throw new Error('An RNN needs at least one timestep. Received: a sequence of length 0.');
  }
  const stepMasks = args.mask ? maskPerStep(args.mask, timesteps) : null;
  const order = [...Array(timesteps).keys()];
  if (goBackwards) order.reverse();

  let states = args.initialStates;
  let prevOutput: Tensor | null = null;
  const outputs: Tensor[] = [];
  for (const t of order) {
    const result = step(steps[t] as Tensor, states);
    let output = result.output;
    if (stepMasks) {
      const keep = stepMasks[t] as Tensor;
      const fallback: Tensor =
        zeroOutputForMask || prevOutput === null ? tf.zerosLike(output) : prevOutput;
      output = tf.where(toRank(keep, output.rank), output, fallback);
      states = result.states.map((s, i) => tf.where(toRank(keep, s.rank), s, states[i] as Tensor));
    } else {
      states = result.states;
    }
    prevOutput = output;
    if (returnAllOutputs) outputs.push(output);
  }
  return {
    lastOutput: prevOutput as Tensor,
    outputs: returnAllOutputs ? stackFast(outputs, 1) : null,
    states,
  };
}

/** `[batch, 1]` -> `[batch, 1, ..., 1]` of `rank`, so it broadcasts over image-shaped states. */
function toRank(keep: Tensor, rank: number): Tensor {
  return rank <= 2 ? keep : tf.reshape(keep, [keep.shape[0] as number, ...Array(rank - 1).fill(1)]);
}

/** `[batch, time]` mask -> one `[batch, 1]` boolean tensor per step, in time order. */
function maskPerStep(mask: Tensor, timesteps: number): Tensor[] {
  if (mask.rank !== 2 || mask.shape[1] !== timesteps) {
    throw new Error(
      `Expected a mask of shape (batch, ${timesteps}) matching the sequence length. ` +
        `Received: mask.shape=(${mask.shape.join(', ')})`,
    );
  }
  const bool = mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
  return unstackFast(tf.expandDims(tf.transpose(bool), 2), 0);
}
