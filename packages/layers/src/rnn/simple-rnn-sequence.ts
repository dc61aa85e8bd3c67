import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { unstackFast } from './fast-ops.js';

/**
 * A whole tanh SimpleRNN sequence, `h_t = tanh(x_t @ kernel + bias + h_{t-1} @ recurrent)`, as
 * one differentiable op with a hand-written backward pass through time (see lstm-sequence.ts for
 * why): the forward runs untaped, and the backward computes the weight gradients and dx in one
 * product each over all steps, leaving one product per step for the recurrence.
 *
 * Inputs: `x` `[time, batch, features]`, `h0` `[batch, units]`, `kernel` `[features, units]`,
 * `recurrentKernel` `[units, units]`, `bias` `[units]`. Output: `[time, batch, units]`.
 */
export type SimpleRnnSequenceOp = (
  x: Tensor,
  h0: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor,
) => Tensor;

/**
 * The op for `allOutputs` (`[time, batch, units]`, every step's state) or for the last state
 * only (`[batch, units]`): stacking the outputs and unstacking their cotangents cost as much as
 * the recurrence itself on wasm, so a layer without return_sequences skips both.
 */
export function simpleRnnSequence(opts: { allOutputs: boolean }): SimpleRnnSequenceOp {
  return opts.allOutputs ? allOutputsOp : lastOutputOp;
}

const allOutputsOp = makeOp(true);
const lastOutputOp = makeOp(false);

function makeOp(allOutputs: boolean): SimpleRnnSequenceOp {
  return tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, h0, kernel, recurrentKernel, bias, save] = args as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      tf.GradSaveFunc,
    ];
    const time = x.shape[0] as number;
    // Each step gathers its raw input row and projects it: on wasm a gather costs about the
    // size of the whole tensor it reads, so rows of the narrow inputs beat rows of a
    // pre-projected `[time, batch, units]` tensor, even with a product more per step.
    const xs = unstackFast(x, 0);
    let h = h0;
    const outputs: Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const z = tf.add(tf.matMul(xs[t] as Tensor, kernel), tf.matMul(h, recurrentKernel));
      h = tf.tanh(tf.add(z, bias));
      outputs.push(h);
    }
    save([x, h0, kernel, recurrentKernel, ...outputs]);
    return {
      value: allOutputs ? tf.stack(outputs, 0) : h,
      gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved, { time, allOutputs }),
    };
  }) as SimpleRnnSequenceOp;
}

function backward(
  dy: Tensor,
  saved: Tensor[],
  opts: { time: number; allOutputs: boolean },
): Tensor[] {
  const { time, allOutputs } = opts;
  const [x, h0, kernel, recurrentKernel] = saved as [Tensor, Tensor, Tensor, Tensor];
  const hs = saved.slice(4);
  const features = kernel.shape[0] as number;
  const recurrentT = tf.transpose(recurrentKernel);
  const dys = allOutputs ? unstackFast(dy, 0) : null;
  let dhNext: Tensor | null = null;
  const das: Tensor[] = [];
  for (let t = time - 1; t >= 0; t--) {
    const dyT = dys ? (dys[t] as Tensor) : t === time - 1 ? dy : null;
    const dh: Tensor =
      dhNext === null ? (dyT as Tensor) : dyT === null ? dhNext : tf.add(dyT, dhNext);
    const h = hs[t] as Tensor;
    const da: Tensor = tf.mul(dh, tf.sub(1, tf.square(h)));
    dhNext = tf.matMul(da, recurrentT);
    das.push(da);
  }
  // Time order, to line up with x and with the previous states [h0, h_0 .. h_{T-2}].
  const dA = tf.concat(das.reverse(), 0);
  const flatX = tf.reshape(x, [-1, features]);
  const hPrev = tf.concat([h0, ...hs.slice(0, time - 1)], 0);
  const dKernel = tf.matMul(tf.transpose(flatX), dA);
  const dRecurrent = tf.matMul(tf.transpose(hPrev), dA);
  const dBias = tf.sum(dA, 0);
  const dx = tf.reshape(tf.matMul(dA, tf.transpose(kernel)), [time, -1, features]);
  return [dx, dhNext as Tensor, dKernel, dRecurrent, dBias];
}
