import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { attr, mask, reduceToShape, savedAt, single } from './helpers.js';

/** da and db of y = op(a) @ op(b), op a transpose when the flag is set; batch dims broadcast. */
export function matMulGrads(
  dy: Tensor,
  a: Tensor,
  b: Tensor,
  attrs: NamedAttrMap,
): { a: () => Tensor; b: () => Tensor } {
  const tA = attr<boolean>(attrs, 'transposeA') === true;
  const tB = attr<boolean>(attrs, 'transposeB') === true;
  const mm = (x: Tensor, y: Tensor, tx: boolean, ty: boolean) => tf.matMul(x, y, tx, ty);
  let da: () => Tensor;
  let db: () => Tensor;
  if (!tA && !tB) {
    da = () => mm(dy, b, false, true);
    db = () => mm(a, dy, true, false);
  } else if (!tA && tB) {
    da = () => mm(dy, b, false, false);
    db = () => mm(dy, a, true, false);
  } else if (tA && !tB) {
    da = () => mm(b, dy, false, true);
    db = () => mm(a, dy, false, false);
  } else {
    da = () => mm(b, dy, true, true);
    db = () => mm(dy, a, true, true);
  }
  return { a: () => reduceToShape(da(), a.shape), b: () => reduceToShape(db(), b.shape) };
}

/** d activation(z) / dz expressed through the activation's output y (z's sign for the relus). */
function activationGrad(dy: Tensor, y: Tensor, attrs: NamedAttrMap): Tensor {
  const activation = attr<string | undefined>(attrs, 'activation') ?? 'linear';
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, mask(tf.greater(y, 0)));
    case 'relu6':
      return tf.mul(dy, mask(tf.logicalAnd(tf.greater(y, 0), tf.less(y, 6))));
    case 'elu':
      return tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, tf.scalar(1))));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y)));
    case 'leakyrelu': {
      const alpha = attr<number | undefined>(attrs, 'leakyreluAlpha') ?? 0.2;
      return tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.scalar(alpha)));
    }
    default:
      throw new Error(
        `Gradient of a fused op supports activations linear, relu, relu6, elu, sigmoid and ` +
          `leakyrelu; call the unfused ops to train through it. Received: activation=${activation}`,
      );
  }
}

/** Sums a fused op's activation gradient down to a 1-D bias over the last (channel) axis. */
export function biasGrad(dyAct: Tensor, channelAxis = dyAct.rank - 1): Tensor {
  const axes = dyAct.shape.map((_, i) => i).filter((i) => i !== channelAxis);
  return tf.sum(dyAct, axes);
}

export { activationGrad };

export const matMulGradients: GradConfig[] = [
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) =>
      matMulGrads(
        single(dy),
        savedAt(saved, 0, 'BatchMatMul'),
        savedAt(saved, 1, 'BatchMatMul'),
        attrs,
      ),
  },
  {
    kernelName: '_FusedMatMul',
    inputsToSave: ['a', 'b'],
    outputsToSave: [true],
    gradFunc: (dyIn, saved, attrs) => {
      const a = savedAt(saved, 0, '_FusedMatMul');
      const b = savedAt(saved, 1, '_FusedMatMul');
      const y = savedAt(saved, 2, '_FusedMatMul');
      const dyAct = activationGrad(single(dyIn), y, attrs);
      return { ...matMulGrads(dyAct, a, b, attrs), bias: () => biasGrad(dyAct) };
    },
  },
];
