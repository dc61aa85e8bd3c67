import * as tf from '@tensorflow/tfjs-core';
import { currentCallContext, withCallContext } from './call-context.js';
import { getKerasMask, setKerasMask } from './keras-mask.js';
import type { Layer } from './layer.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import type { CallArgs, Shape } from './types.js';

// The two halves of Keras's `Layer.__call__`, after input checks and the build.

/** Symbolic inputs: output specs from `computeOutputShape`, a new Node, `kerasHistory` stamped. */
export function applySymbolic(
  layer: Layer,
  inputs: SymbolicTensor | SymbolicTensor[],
  inputShape: Shape | Shape[],
  args: CallArgs,
): SymbolicTensor | SymbolicTensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const outShape = layer.computeOutputShape(inputShape);
  const multi = isShapeList(outShape);
  const outShapes = multi ? (outShape as Shape[]) : [outShape as Shape];
  const dtypeOut = layer.computeOutputDtype(list.map((t) => t.dtype));
  const outputs = outShapes.map(
    (shape, i) =>
      new SymbolicTensor({
        shape,
        dtype: Array.isArray(dtypeOut) ? (dtypeOut[i] ?? layer.dtype) : dtypeOut,
      }),
  );
  const { mask: _mask, ...callArgs } = args;
  const node = new Node({
    outboundLayer: layer,
    inputTensors: list,
    outputTensors: outputs,
    callArgs,
    inputsAreList: Array.isArray(inputs),
    outputsAreList: multi,
  });
  const nodeIndex = layer.inboundNodes.indexOf(node);
  outputs.forEach((t, tensorIndex) => {
    t.kerasHistory = { layer, nodeIndex, tensorIndex };
  });
  return multi ? outputs : (outputs[0] as SymbolicTensor);
}

/** Concrete inputs: masks read and written, `training` inherited, activity losses added. */
export function applyConcrete(
  layer: Layer,
  inputs: tf.Tensor | tf.Tensor[],
  args: CallArgs,
  propagateMask: boolean,
): tf.Tensor | tf.Tensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  let mask = args.mask;
  if (mask === undefined) {
    const masks = list.map((t) => getKerasMask(t));
    if (masks.some((m) => m !== null)) mask = Array.isArray(inputs) ? masks : masks[0];
  }
  const outer = currentCallContext();
  const training = args.training ?? outer?.training;
  return withCallContext({ training }, (outermost) => {
    if (outermost) layer.clearLosses();
    const callArgs: CallArgs = { ...args, training };
    if (mask !== undefined && mask !== null) callArgs.mask = mask;
    else delete callArgs.mask;
    const outputs = layer.call(inputs, callArgs);
    const outList = Array.isArray(outputs) ? outputs : [outputs];
    const actReg = layer.activityRegularizer;
    if (actReg !== null) {
      for (const out of outList) {
        const batch = out.shape[0] ?? 0;
        const loss = tf.tidy(() => {
          const penalty = actReg.call(out);
          return out.rank > 0 && batch > 0 ? tf.div(penalty, batch) : penalty;
        });
        layer.addLoss(loss);
      }
    }
    if (propagateMask) {
      const outMask = layer.computeMask(inputs, mask ?? null);
      const outMasks = Array.isArray(outMask) ? outMask : outList.map(() => outMask);
      outList.forEach((t, i) => {
        setKerasMask(t, outMasks[i] ?? null);
      });
    }
    return outputs;
  });
}

export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** Runs `call` on zeros (unknown dims as 1) and reads the output shape(s) back. */
export function probeOutputShape(layer: Layer, inputShape: Shape | Shape[]): Shape | Shape[] {
  const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
  const batchUnknown = shapes.some((s) => s[0] === null);
  const toShape = (t: tf.Tensor): Shape =>
    t.shape.map((d, i) => (i === 0 && batchUnknown ? null : d));
  let result: Shape | Shape[] = [];
  tf.tidy(() => {
    const dummies = shapes.map((s) => tf.zeros(s.map((d) => d ?? 1)));
    const out = layer.call(isShapeList(inputShape) ? dummies : (dummies[0] as tf.Tensor), {});
    result = Array.isArray(out) ? out.map(toShape) : toShape(out);
  });
  return result;
}
