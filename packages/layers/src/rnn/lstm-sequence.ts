import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { unstackFast } from './fast-ops.js';

/**
 * A whole LSTM sequence (tanh / sigmoid, Keras gate order i, f, c, o) as one differentiable op
 * with a hand-written backward pass through time.
 *
 * Why: on the tape, every per-step op records a node, copies the tensors its gradient needs and
 * adds its own gradient kernels; an LSTM step is ~25 ops forward and ~130 backward. Here the
 * forward runs untaped, the backward runs ~40 ops per step, and the weight gradients are three
 * products over all timesteps at once (`X^T @ dZ`, `H^T @ dZ`, `sum(dZ)`), not one per step.
 *
 * Inputs: `x` time-major `[time, batch, features]`, `h0`, `c0` `[batch, units]`, `kernel`
 * `[features, 4 units]`, `recurrentKernel` `[units, 4 units]`, `bias` `[4 units]`.
 * Output: with `allOutputs`, `[time + 1, batch, units]`, the hidden state of every step then the
 * last cell state; else `[2, batch, units]`, the last hidden and cell states only (stacking every
 * output and unstacking their cotangents is wasted work without return_sequences).
 */
export function lstmSequence(opts: { allOutputs: boolean }): LstmSequenceOp {
  return opts.allOutputs ? allOutputsOp : lastOutputOp;
}

export type LstmSequenceOp = (
  x: Tensor,
  h0: Tensor,
  c0: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor,
) => Tensor;

const allOutputsOp = makeOp(true);
const lastOutputOp = makeOp(false);

function makeOp(allOutputs: boolean): LstmSequenceOp {
  return tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, h0, c0, kernel, recurrentKernel, bias, save] = args as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      tf.GradSaveFunc,
    ];
    const time = x.shape[0] as number;
    const batch = x.shape[1] as number;
    // [x, h, 1] @ [kernel; recurrent_kernel; bias] per gate: the bias rides in the product, and
    // per-gate products avoid splitting z (a slice copies its whole input on wasm). Batch-major
    // operands keep the products in the shapes the wasm matMul is fast at.
    const stacked = tf.concat([kernel, recurrentKernel, tf.reshape(bias, [1, -1])], 0);
    const gateKernels = tf.split(stacked, 4, 1);
    const xs = unstackFast(x, 0);
    const ones = tf.ones([batch, 1]);
    let h = h0;
    let c = c0;
    // Per step: [x, h_prev, 1], c_prev, the four gates, tanh(c_t).
    const record: Tensor[] = [];
    const outputs: Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const xh = tf.concat([xs[t] as Tensor, h, ones], 1);
      const z = (k: number) => tf.matMul(xh, gateKernels[k] as Tensor);
      const i = tf.sigmoid(z(0));
      const f = tf.sigmoid(z(1));
      const g = tf.tanh(z(2));
      const o = tf.sigmoid(z(3));
      const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
      const tc = tf.tanh(cNew);
      const hNew = tf.mul(o, tc);
      record.push(xh, c, i, f, g, o, tc);
      outputs.push(hNew);
      h = hNew;
      c = cNew;
    }
    save([kernel, recurrentKernel, ...record]);
    return {
      value: allOutputs ? tf.stack([...outputs, c], 0) : tf.stack([h, c], 0),
      gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved, { time, allOutputs }),
    };
  }) as LstmSequenceOp;
}

function backward(
  dy: Tensor,
  saved: Tensor[],
  opts: { time: number; allOutputs: boolean },
): Tensor[] {
  const { time, allOutputs } = opts;
  const [kernel, recurrentKernel] = saved as [Tensor, Tensor];
  const record = saved.slice(2);
  const kernelsT = tf.split(kernel, 4, 1).map((k) => tf.transpose(k));
  const recurrentT = tf.transpose(recurrentKernel);
  const dys = unstackFast(dy, 0);
  let dhNext: Tensor = tf.zerosLike(dys[0] as Tensor);
  let dcNext: Tensor = dys[allOutputs ? time : 1] as Tensor;
  const dzs: Tensor[][] = [[], [], [], []];
  const xhs: Tensor[] = [];
  for (let t = time - 1; t >= 0; t--) {
    const [xh, cPrev, i, f, g, o, tc] = record.slice(7 * t, 7 * t + 7) as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
    ];
    const dyT = allOutputs ? dys[t] : t === time - 1 ? dys[0] : undefined;
    const dh = dyT === undefined ? dhNext : tf.add(dyT, dhNext);
    // h = o * tanh(c): through o, and through c into the carry.
    const dc = tf.add(dcNext, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
    const dz = [
      tf.mul(tf.mul(dc, g), tf.mul(i, tf.sub(1, i))),
      tf.mul(tf.mul(dc, cPrev), tf.mul(f, tf.sub(1, f))),
      tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
      tf.mul(tf.mul(dh, tc), tf.mul(o, tf.sub(1, o))),
    ];
    dcNext = tf.mul(dc, f);
    dhNext = tf.matMul(tf.concat(dz, 1), recurrentT);
    dz.forEach((d, k) => {
      dzs[k]?.push(d);
    });
    xhs.push(xh);
  }
  // All timesteps at once: d[kernel; recurrent_kernel; bias] = [x, h, 1]^T @ dz over every step
  // (the steps were collected last to first, inputs and cotangents in the same order).
  const xhT = tf.transpose(tf.concat(xhs, 0));
  const dZ = dzs.map((list) => tf.concat(list, 0));
  const dStacked = tf.concat(
    dZ.map((d) => tf.matMul(xhT, d)),
    1,
  );
  // dx needs no recurrence either: one product per gate over all steps.
  const dxAll = tf.addN(dZ.map((d, k) => tf.matMul(d, kernelsT[k] as Tensor)));
  const features = kernel.shape[0] as number;
  const units = recurrentKernel.shape[0] as number;
  const [dKernel, dRecurrent, dBias] = tf.split(dStacked, [features, units, 1], 0) as [
    Tensor,
    Tensor,
    Tensor,
  ];
  const dx = tf.reverse(tf.reshape(dxAll, [time, -1, features]), 0);
  return [dx, dhNext, dcNext, dKernel, dRecurrent, tf.reshape(dBias, [-1])];
}
