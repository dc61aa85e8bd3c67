import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { unstackFast } from './fast-ops.js';

/**
 * A whole tanh SimpleRNN sequence, `h_t = tanh(x_t @ kernel + bias + h_{t-1} @ recurrent)`, as
 * one differentiable op with a hand-written backward pass through time (see lstm-sequence.ts for
 * why): the input projection of all timesteps is one product, and the backward computes the
 * weight gradients and dx in one product each over all steps, one product per step for the
 * recurrence.
 *
 * Inputs: `x` `[time, batch, features]`, `h0` `[batch, units]`, `kernel` `[features, units]`,
 * `recurrentKernel` `[units, units]`, `bias` `[units]`. Output: `[time, batch, units]`.
 */
export const simpleRnnSequence: (
  x: Tensor,
  h0: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor,
) => Tensor = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
  const [x, h0, kernel, recurrentKernel, bias, save] = args as [
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    Tensor,
    tf.GradSaveFunc,
  ];
  const [time, batch, features] = x.shape as [number, number, number];
  const projected = tf.add(tf.matMul(tf.reshape(x, [time * batch, features]), kernel), bias);
  const xs = unstackFast(tf.reshape(projected, [time, batch, -1]), 0);
  let h = h0;
  const outputs: Tensor[] = [];
  for (let t = 0; t < time; t++) {
    h = tf.tanh(tf.add(xs[t] as Tensor, tf.matMul(h, recurrentKernel)));
    outputs.push(h);
  }
  const value = tf.stack(outputs, 0);
  save([x, h0, kernel, recurrentKernel, value]);
  return {
    value,
    gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved, time),
  };
}) as (x: Tensor, h0: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor) => Tensor;

function backward(dy: Tensor, saved: Tensor[], time: number): Tensor[] {
  const [x, h0, kernel, recurrentKernel, hs] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
  const features = kernel.shape[0] as number;
  const units = recurrentKernel.shape[0] as number;
  const recurrentT = tf.transpose(recurrentKernel);
  const dys = unstackFast(dy, 0);
  const hList = unstackFast(hs, 0);
  let dhNext: Tensor = tf.zerosLike(h0);
  const das: Tensor[] = [];
  for (let t = time - 1; t >= 0; t--) {
    const h = hList[t] as Tensor;
    const da = tf.mul(tf.add(dys[t] as Tensor, dhNext), tf.sub(1, tf.square(h)));
    dhNext = tf.matMul(da, recurrentT);
    das.push(da);
  }
  // Time order, to line up with x and with the previous states [h0, h_0 .. h_{T-2}].
  const dA = tf.concat(das.reverse(), 0);
  const flatX = tf.reshape(x, [-1, features]);
  const hPrev = tf.concat([h0, tf.reshape(hs, [-1, units])], 0);
  const hPrevSteps = tf.slice(hPrev, [0, 0], [time * (h0.shape[0] as number), units]);
  const dKernel = tf.matMul(tf.transpose(flatX), dA);
  const dRecurrent = tf.matMul(tf.transpose(hPrevSteps), dA);
  const dBias = tf.sum(dA, 0);
  const dx = tf.reshape(tf.matMul(dA, tf.transpose(kernel)), [time, -1, features]);
  return [dx, dhNext, dKernel, dRecurrent, dBias];
}
