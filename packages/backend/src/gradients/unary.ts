import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { attr, mask, savedAt, single } from './helpers.js';

/** A one-input kernel whose gradient is `f(dy, x, y, attrs)` for input `x`. */
function unaryFromX(
  kernelName: string,
  f: (dy: Tensor, x: Tensor, attrs: NamedAttrMap) => Tensor,
): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => f(single(dy), savedAt(saved, 0, kernelName), attrs),
    }),
  };
}

/** A one-input kernel whose gradient only needs its output (Exp, Tanh, Sigmoid, ...). */
function unaryFromY(kernelName: string, f: (dy: Tensor, y: Tensor) => Tensor): GradConfig {
  return {
    kernelName,
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({ x: () => f(single(dy), savedAt(saved, 0, kernelName)) }),
  };
}

/** Kernels that are piecewise constant: zero gradient, kept so tapes through them still work. */
function zeroGrad(kernelName: string): GradConfig {
  return { kernelName, gradFunc: (dy) => ({ x: () => tf.zerosLike(single(dy)) }) };
}

const one = () => tf.scalar(1);
// Keras / TF constants for selu.
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

export const unaryGradients: GradConfig[] = [
  { kernelName: 'Identity', gradFunc: (dy) => ({ x: () => tf.clone(single(dy)) }) },
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(single(dy)) }) },
  unaryFromX('Cast', (dy, x) => (x.dtype === 'float32' ? tf.clone(dy) : tf.zerosLike(x))),
  unaryFromX('Square', (dy, x) => tf.mul(dy, tf.mul(x, tf.scalar(2)))),
  unaryFromX('Sqrt', (dy, x) => tf.div(dy, tf.mul(tf.sqrt(x), tf.scalar(2)))),
  unaryFromX('Rsqrt', (dy, x) => tf.div(dy, tf.mul(tf.pow(x, tf.scalar(1.5)), tf.scalar(-2)))),
  unaryFromX('Reciprocal', (dy, x) => tf.neg(tf.div(dy, tf.square(x)))),
  unaryFromX('Log', (dy, x) => tf.div(dy, x)),
  unaryFromX('Log1p', (dy, x) => tf.div(dy, tf.add(x, one()))),
  unaryFromY('Exp', (dy, y) => tf.mul(dy, y)),
  unaryFromX('Expm1', (dy, x) => tf.mul(dy, tf.exp(x))),
  unaryFromX('Abs', (dy, x) => tf.mul(dy, tf.sign(x))),
  unaryFromX('Sin', (dy, x) => tf.mul(dy, tf.cos(x))),
  unaryFromX('Cos', (dy, x) => tf.neg(tf.mul(dy, tf.sin(x)))),
  unaryFromX('Tan', (dy, x) => tf.div(dy, tf.square(tf.cos(x)))),
  unaryFromX('Asin', (dy, x) => tf.div(dy, tf.sqrt(tf.sub(one(), tf.square(x))))),
  unaryFromX('Acos', (dy, x) => tf.neg(tf.div(dy, tf.sqrt(tf.sub(one(), tf.square(x)))))),
  unaryFromX('Atan', (dy, x) => tf.div(dy, tf.add(one(), tf.square(x)))),
  unaryFromX('Sinh', (dy, x) => tf.mul(dy, tf.cosh(x))),
  unaryFromX('Cosh', (dy, x) => tf.mul(dy, tf.sinh(x))),
  unaryFromX('Asinh', (dy, x) => tf.div(dy, tf.sqrt(tf.add(one(), tf.square(x))))),
  unaryFromX('Acosh', (dy, x) => tf.div(dy, tf.sqrt(tf.sub(tf.square(x), one())))),
  unaryFromX('Atanh', (dy, x) => tf.div(dy, tf.sub(one(), tf.square(x)))),
  unaryFromX('Erf', (dy, x) =>
    tf.mul(dy, tf.mul(tf.exp(tf.neg(tf.square(x))), tf.scalar(2 / Math.sqrt(Math.PI)))),
  ),
  unaryFromY('Tanh', (dy, y) => tf.mul(dy, tf.sub(one(), tf.square(y)))),
  unaryFromY('Sigmoid', (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(one(), y)))),
  unaryFromX('Softplus', (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  // step(x) rather than greater(x, 0): on wasm the broadcasting comparison costs ~10x more.
  unaryFromX('Relu', (dy, x) => tf.mul(dy, tf.step(x))),
  // TF's Relu6Grad passes the gradient on the open interval (0, 6).
  unaryFromX('Relu6', (dy, x) => tf.mul(dy, mask(tf.logicalAnd(tf.greater(x, 0), tf.less(x, 6))))),
  unaryFromY('Elu', (dy, y) => tf.where(tf.greater(y, 0), dy, tf.mul(dy, tf.add(y, one())))),
  unaryFromX('Selu', (dy, x) =>
    tf.where(
      tf.greater(x, 0),
      tf.mul(dy, tf.scalar(SELU_SCALE)),
      tf.mul(dy, tf.mul(tf.exp(x), tf.scalar(SELU_SCALE * SELU_ALPHA))),
    ),
  ),
  unaryFromX('LeakyRelu', (dy, x, attrs) =>
    tf.where(tf.greater(x, 0), dy, tf.mul(dy, tf.scalar(attr<number>(attrs, 'alpha')))),
  ),
  unaryFromX('ClipByValue', (dy, x, attrs) => {
    const inside = tf.logicalAnd(
      tf.greaterEqual(x, attr<number>(attrs, 'clipValueMin')),
      tf.lessEqual(x, attr<number>(attrs, 'clipValueMax')),
    );
    return tf.where(inside, dy, tf.zerosLike(dy));
  }),
  zeroGrad('IsNan'),
  zeroGrad('Floor'),
  zeroGrad('Ceil'),
  zeroGrad('Round'),
  zeroGrad('Sign'),
  zeroGrad('Step'),
  zeroGrad('ZerosLike'),
  zeroGrad('OnesLike'),
];
