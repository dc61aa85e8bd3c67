import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { unstackFast } from './fast-ops.js';

/**
 * A whole-sequence GRU: `x` `[time, batch, features]`, `h0` `[batch, units]`, Keras's weights,
 * and for the masked op `mask` `[time, batch, 1]` (1 keeps a step, 0 carries the state over).
 */
export type GruSequenceOp = (
  x: Tensor,
  h0: Tensor,
  kernel: Tensor,
  recurrentKernel: Tensor,
  bias: Tensor,
  mask?: Tensor,
) => Tensor;

/**
 * A whole GRU sequence (tanh / sigmoid, Keras gate order z, r, h) as one differentiable op with
 * a hand-written backward pass through time, as lstm-sequence.ts does for the LSTM.
 *
 * Why: the taped per-step loop records ~20 ops per step and ~100 gradient kernels; here the
 * forward runs untaped, and the backward computes the weight gradients and dx in one product per gate over all steps,
 * leaving one product per step for the recurrence.
 *
 * `bias` is `(2, 3 units)` (input row, recurrent row) with `resetAfter`, `(3 units)` without.
 * Output: with `allOutputs`, `[time, batch, units]`, the hidden state of every step; else the
 * last state `[batch, units]` only (stacking the outputs and unstacking their cotangents cost
 * as much as a good part of the recurrence on wasm).
 */
export function gruSequence(opts: OpOptions): GruSequenceOp {
  const key = `${opts.resetAfter}:${opts.allOutputs}:${opts.masked}`;
  let op = ops.get(key);
  if (op === undefined) {
    op = makeOp(opts);
    ops.set(key, op);
  }
  return op;
}

const ops = new Map<string, GruSequenceOp>();

interface OpOptions {
  resetAfter: boolean;
  allOutputs: boolean;
  /** Takes a step mask: masked steps keep the previous state (`h + m * (h_new - h)`). */
  masked: boolean;
}

function makeOp(opts: OpOptions): GruSequenceOp {
  const { resetAfter, allOutputs, masked } = opts;
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
    const kernels = tf.split(kernel, 3, 1);
    const recurrents = tf.split(recurrentKernel, 3, 1);
    const [inputBias, recurrentBias] = resetAfter
      ? (tf.unstack(bias, 0) as [Tensor, Tensor])
      : [bias, null];
    const inBiases = tf.split(inputBias, 3, 0);
    const recBiases = recurrentBias ? tf.split(recurrentBias, 3, 0) : null;
    // The z and r gates take their reset_after recurrent bias with the input one (it is added
    // outside the reset there). Each step gathers its raw input row and projects it per gate: on
    // wasm a gather costs about the size of the whole tensor it reads, so rows of the narrow
    // inputs beat rows of pre-projected `[time, batch, units]` tensors.
    const gateBiases = [0, 1, 2].map((k) =>
      recBiases && k < 2
        ? tf.add(inBiases[k] as Tensor, recBiases[k] as Tensor)
        : (inBiases[k] as Tensor),
    );
    const xs = unstackFast(x, 0);
    const ms = mask ? unstackFast(mask, 0) : null;
    const inputPart = (k: number, t: number) =>
      tf.add(tf.matMul(xs[t] as Tensor, kernels[k] as Tensor), gateBiases[k] as Tensor);
    const [rz, rr, rh] = recurrents as [Tensor, Tensor, Tensor];
    const bh = recBiases ? (recBiases[2] as Tensor) : null;
    let h = h0;
    // Per step: h_prev, z, r, hh, and the candidate's recurrent term (h @ U_h + b_h with
    // reset_after; r * h_prev without).
    const record: Tensor[] = [];
    const outputs: Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const z = tf.sigmoid(tf.add(inputPart(0, t), tf.matMul(h, rz)));
      const r = tf.sigmoid(tf.add(inputPart(1, t), tf.matMul(h, rr)));
      let inner: Tensor;
      let recurrentH: Tensor;
      if (resetAfter) {
        inner = tf.matMul(h, rh);
        if (bh) inner = tf.add(inner, bh);
        recurrentH = tf.mul(r, inner);
      } else {
        inner = tf.mul(r, h);
        recurrentH = tf.matMul(inner, rh);
      }
      const hh = tf.tanh(tf.add(inputPart(2, t), recurrentH));
      let hNew = tf.add(hh, tf.mul(z, tf.sub(h, hh)));
      if (ms) hNew = tf.add(h, tf.mul(ms[t] as Tensor, tf.sub(hNew, h)));
      record.push(h, z, r, hh, inner);
      outputs.push(hNew);
      h = hNew;
    }
    save([x, kernel, recurrentKernel, ...(mask ? [mask] : []), ...record]);
    return {
      value: allOutputs ? tf.stack(outputs, 0) : h,
      gradFunc: (dy: Tensor, saved: Tensor[]) => backward(dy, saved, { time, ...opts }),
    };
  }) as GruSequenceOp;
}

function backward(dy: Tensor, saved: Tensor[], opts: OpOptions & { time: number }): Tensor[] {
  const { time, resetAfter, allOutputs, masked } = opts;
  const [x, kernel, recurrentKernel] = saved as [Tensor, Tensor, Tensor];
  const mask = masked ? (saved[3] as Tensor) : null;
  const ms = mask ? unstackFast(mask, 0) : null;
  const record = saved.slice(masked ? 4 : 3);
  const features = kernel.shape[0] as number;
  const kernelsT = tf.split(kernel, 3, 1).map((k) => tf.transpose(k));
  const recurrents = tf.split(recurrentKernel, 3, 1);
  // dh_prev gathers the z, r (and, with reset_after, candidate) cotangents in one product.
  const zrT = tf.transpose(tf.concat(recurrents.slice(0, 2), 1));
  const allT = tf.transpose(recurrentKernel);
  const rhT = tf.transpose(recurrents[2] as Tensor);
  const dys = allOutputs ? unstackFast(dy, 0) : null;
  let dhNext: Tensor | null = null;
  const dZ: Tensor[] = [];
  const dR: Tensor[] = [];
  const dH: Tensor[] = [];
  const dInner: Tensor[] = [];
  for (let t = time - 1; t >= 0; t--) {
    const [hPrev, z, r, hh, inner] = record.slice(5 * t, 5 * t + 5) as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
      Tensor,
    ];
    const dyT = dys ? (dys[t] as Tensor) : t === time - 1 ? dy : null;
    const dhOut: Tensor =
      dhNext === null ? (dyT as Tensor) : dyT === null ? dhNext : tf.add(dyT, dhNext);
    // A masked step passes its cotangent straight to h_prev; a kept one through the cell.
    const m = ms ? (ms[t] as Tensor) : null;
    const dh = m ? tf.mul(dhOut, m) : dhOut;
    const carried = m ? tf.mul(dhOut, tf.sub(1, m)) : null;
    // h = hh + z * (h_prev - hh)
    const daz = tf.mul(tf.mul(dh, tf.sub(hPrev, hh)), tf.mul(z, tf.sub(1, z)));
    const dah = tf.mul(tf.mul(dh, tf.sub(1, z)), tf.sub(1, tf.square(hh)));
    let dar: Tensor;
    if (resetAfter) {
      // candidate term r * inner, inner = h_prev @ U_h + b_h
      dar = tf.mul(tf.mul(dah, inner), tf.mul(r, tf.sub(1, r)));
      const dIn = tf.mul(dah, r);
      dhNext = tf.add(tf.mul(dh, z), tf.matMul(tf.concat([daz, dar, dIn], 1), allT));
      dInner.push(dIn);
    } else {
      // candidate term (r * h_prev) @ U_h
      const dq = tf.matMul(dah, rhT);
      dar = tf.mul(tf.mul(dq, hPrev), tf.mul(r, tf.sub(1, r)));
      dhNext = tf.add(
        tf.add(tf.mul(dh, z), tf.mul(dq, r)),
        tf.matMul(tf.concat([daz, dar], 1), zrT),
      );
    }
    if (carried) dhNext = tf.add(dhNext, carried);
    dZ.push(daz);
    dR.push(dar);
    dH.push(dah);
  }
  // The lists run last step to first; put them in time order to line up with x and h_prev.
  const inTime = (list: Tensor[]) => tf.concat(list.reverse(), 0);
  const [daZ, daR, daH] = [inTime(dZ), inTime(dR), inTime(dH)];
  const xT = tf.transpose(tf.reshape(x, [-1, features]));
  const dKernel = tf.concat([tf.matMul(xT, daZ), tf.matMul(xT, daR), tf.matMul(xT, daH)], 1);
  // The record is already in time order.
  const hPrevT = tf.transpose(
    tf.concat(
      record.filter((_, i) => i % 5 === 0),
      0,
    ),
  );
  let dRecurrent: Tensor;
  let dBias: Tensor;
  const biasIn = tf.concat([tf.sum(daZ, 0), tf.sum(daR, 0), tf.sum(daH, 0)], 0);
  if (resetAfter) {
    const daIn = inTime(dInner);
    dRecurrent = tf.concat(
      [tf.matMul(hPrevT, daZ), tf.matMul(hPrevT, daR), tf.matMul(hPrevT, daIn)],
      1,
    );
    const biasRec = tf.concat([tf.sum(daZ, 0), tf.sum(daR, 0), tf.sum(daIn, 0)], 0);
    dBias = tf.stack([biasIn, biasRec], 0);
  } else {
    const qT = tf.transpose(
      tf.concat(
        record.filter((_, i) => i % 5 === 4),
        0,
      ),
    );
    dRecurrent = tf.concat([tf.matMul(hPrevT, daZ), tf.matMul(hPrevT, daR), tf.matMul(qT, daH)], 1);
    dBias = biasIn;
  }
  const dxAll = tf.addN([
    tf.matMul(daZ, kernelsT[0] as Tensor),
    tf.matMul(daR, kernelsT[1] as Tensor),
    tf.matMul(daH, kernelsT[2] as Tensor),
  ]);
  const dx = tf.reshape(dxAll, [time, -1, features]);
  const grads = [dx, dhNext as Tensor, dKernel, dRecurrent, dBias];
  return mask ? [...grads, tf.zerosLike(mask)] : grads;
}
