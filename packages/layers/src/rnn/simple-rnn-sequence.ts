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
  mask?: Tensor,
) => Tensor;

/**
 * The op for `allOutputs` (`[time, batch, units]`, every step's state) or for the last state
 * only (`[batch, units]`): stacking the outputs and unstacking their cotangents cost as much as
 * the recurrence itself on wasm, so a layer without return_sequences skips both. The `masked`
 * op takes a step mask `[time, batch, 1]` (1 keeps a step, 0 carries the state over).
 */
export function simpleRnnSequence(opts: OpOptions): SimpleRnnSequenceOp {
  const key = `${opts.allOutputs}:${opts.masked}`;
  let op = ops.get(key);
  if (op === undefined) {
    op = makeOp(opts);
    ops.set(key, op);
  }
  return op;
}

interface OpOptions {
  allOutputs: boolean;
  masked: boolean;
}

const ops = new Map<string, SimpleRnnSequenceOp>();

function makeOp(opts: OpOptions): SimpleRnnSequenceOp {
  const { allOutputs, masked } = opts;
  return tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, h0, kernel, recurrentKernel, bias] = args as Tensor[] as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
    ];
    const mask = masked ? (args[5] as Tensor) : null;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const time = x.shape[0] as number;
    // Each step gathers its raw input row and projects it: on wasm a gather costs about the
    // size of the whole tensor it reads, so rows of the narrow inputs beat rows of a
    // pre-projected `[time, batch, units]` tensor, even with a product more per step.
    const xs = unstackFast(x, 0);
    const ms = mask ? unstackFast(mask, 0) : null;
    let h = h0;
    const outputs: Tensor[] = [];
    // The cell's own outputs, before a mask carries the state over (their tanh derivative).
    const fresh: Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const z = tf.add(tf.matMul(xs[t] as Tensor, kernel), tf.matMul(h, recurrentKernel));
      const hNew = tf.tanh(tf.add(z, bias));
      h = ms ? tf.add(h, tf.mul(ms[t] as Tensor, tf.sub(hNew, h))) : hNew;
      outputs.push(h);
      fresh.push(hNew);
    }
    save([x, h0, kernel, recurrentKernel, ...(mask ? [mask, ...fresh] : []), ...outputs]);
    return {
      value: allOutputs ? tf.stack(outputs, 0) : h,
      gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved, { time, ...opts }),
    };
  }) as SimpleRnnSequenceOp;
}

function backward(dy: Tensor, saved: Tensor[], opts: OpOptions & { time: number }): Tensor[] {
  const { time, allOutputs, masked } = opts;
  const [x, h0, kernel, recurrentKernel] = saved as [Tensor, Tensor, Tensor, Tensor];
  const mask = masked ? (saved[4] as Tensor) : null;
  const ms = mask ? unstackFast(mask, 0) : null;
  const fresh = masked ? saved.slice(5, 5 + time) : null;
  const hs = saved.slice(masked ? 5 + time : 4);
  const features = kernel.shape[0] as number;
  const recurrentT = tf.transpose(recurrentKernel);
  const dys = allOutputs ? unstackFast(dy, 0) : null;
  let dhNext: Tensor | null = null;
  const das: Tensor[] = [];
  for (let t = time - 1; t >= 0; t--) {
    const dyT = dys ? (dys[t] as Tensor) : t === time - 1 ? dy : null;
    const dh: Tensor =
      dhNext === null ? (dyT as Tensor) : dyT === null ? dhNext : tf.add(dyT, dhNext);
    const h = (fresh ? fresh[t] : hs[t]) as Tensor;
    const m = ms ? (ms[t] as Tensor) : null;
    // A masked step passes its cotangent straight to h_prev; a kept one through the cell.
    const da: Tensor = tf.mul(m ? tf.mul(dh, m) : dh, tf.sub(1, tf.square(h)));
    dhNext = tf.matMul(da, recurrentT);
    if (m) dhNext = tf.add(dhNext, tf.mul(dh, tf.sub(1, m)));
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
  const grads = [dx, dhNext as Tensor, dKernel, dRecurrent, dBias];
  return mask ? [...grads, tf.zerosLike(mask)] : grads;
}
