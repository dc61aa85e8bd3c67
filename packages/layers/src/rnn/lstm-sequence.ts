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
export function lstmSequence(opts: OpOptions): LstmSequenceOp {
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
  /** Takes a step mask `[time, batch, 1]`: masked steps carry h and c over. */
  masked: boolean;
}

const ops = new Map<string, LstmSequenceOp>();

export type LstmSequenceOp = (
  x: Tensor,
  h0: Tensor,
  c0: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor,
  mask?: Tensor,
) => Tensor;

function makeOp(opts: OpOptions): LstmSequenceOp {
  const { allOutputs, masked } = opts;
  return tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const [x, h0, c0, kernel, recurrentKernel, bias] = args as Tensor[] as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
    ];
    const mask = masked ? (args[6] as Tensor) : null;
    const ms = mask ? unstackFast(mask, 0) : null;
    const save = args[args.length - 1] as tf.GradSaveFunc;
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
      const m = ms ? (ms[t] as Tensor) : null;
      h = m ? tf.add(h, tf.mul(m, tf.sub(hNew, h))) : hNew;
      c = m ? tf.add(c, tf.mul(m, tf.sub(cNew, c))) : cNew;
      outputs.push(h);
    }
    save([kernel, recurrentKernel, ...(mask ? [mask] : []), ...record]);
    return {
      value: allOutputs ? tf.stack([...outputs, c], 0) : tf.stack([h, c], 0),
      gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved, { time, ...opts }),
    };
  }) as LstmSequenceOp;
}

function backward(dy: Tensor, saved: Tensor[], opts: OpOptions & { time: number }): Tensor[] {
  const { time, allOutputs, masked } = opts;
  const [kernel, recurrentKernel] = saved as [Tensor, Tensor];
  const mask = masked ? (saved[2] as Tensor) : null;
  const ms = mask ? unstackFast(mask, 0) : null;
  const record = saved.slice(masked ? 3 : 2);
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
    const dhOut = dyT === undefined ? dhNext : tf.add(dyT, dhNext);
    // A masked step passes its cotangents straight to h_prev and c_prev; a kept one through the
    // cell.
    const m = ms ? (ms[t] as Tensor) : null;
    const keep = m ? tf.sub(1, m) : null;
    const dh = m ? tf.mul(dhOut, m) : dhOut;
    const dcIn = m ? tf.mul(dcNext, m) : dcNext;
    // h = o * tanh(c): through o, and through c into the carry.
    const dc = tf.add(dcIn, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
    const dz = [
      tf.mul(tf.mul(dc, g), tf.mul(i, tf.sub(1, i))),
      tf.mul(tf.mul(dc, cPrev), tf.mul(f, tf.sub(1, f))),
      tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
      tf.mul(tf.mul(dh, tc), tf.mul(o, tf.sub(1, o))),
    ];
    const dcCarry = keep ? tf.mul(dcNext, keep) : null;
    dcNext = tf.mul(dc, f);
    dhNext = tf.matMul(tf.concat(dz, 1), recurrentT);
    if (keep && dcCarry) {
      dcNext = tf.add(dcNext, dcCarry);
      dhNext = tf.add(dhNext, tf.mul(dhOut, keep));
    }
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
  const grads = [dx, dhNext, dcNext, dKernel, dRecurrent, tf.reshape(dBias, [-1])];
  return mask ? [...grads, tf.zerosLike(mask)] : grads;
}
