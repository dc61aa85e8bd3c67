import * as tf from '@tensorflow/tfjs-core';

/** An activation: elementwise (or along an axis) map of a tensor, like `keras.activations.*`. */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

/** Keras 3 `relu(x, negative_slope=0, max_value=None, threshold=0)`. */
export function relu(
  x: tf.Tensor,
  opts: { negativeSlope?: number; maxValue?: number | null; threshold?: number } = {},
): tf.Tensor {
  const { negativeSlope = 0, maxValue = null, threshold = 0 } = opts;
  if (negativeSlope === 0 && maxValue === null && threshold === 0) return tf.relu(x);
  return tf.tidy(() => {
    const above =
      threshold === 0 ? tf.relu(x) : tf.mul(x, tf.cast(tf.greater(x, threshold), x.dtype));
    let y = maxValue === null ? above : tf.minimum(above, maxValue);
    if (negativeSlope !== 0) {
      const below = tf.mul(
        negativeSlope,
        tf.mul(tf.sub(x, threshold), tf.cast(tf.lessEqual(x, threshold), x.dtype)),
      );
      y = tf.add(y, below);
    }
    return y;
  });
}

export function relu6(x: tf.Tensor): tf.Tensor {
  return tf.relu6(x);
}

export function sigmoid(x: tf.Tensor): tf.Tensor {
  return tf.sigmoid(x);
}

export function tanh(x: tf.Tensor): tf.Tensor {
  return tf.tanh(x);
}

export function linear(x: tf.Tensor): tf.Tensor {
  return x;
}

export function exponential(x: tf.Tensor): tf.Tensor {
  return tf.exp(x);
}

/** Softmax along `axis` (last by default), stable: `exp(x - max) / sum`. */
export function softmax(x: tf.Tensor, axis: number | number[] = -1): tf.Tensor {
  if (axis === -1 || axis === x.rank - 1) return tf.softmax(x);
  return tf.tidy(() => {
    const e = tf.exp(tf.sub(x, tf.max(x, axis, true)));
    return tf.div(e, tf.sum(e, axis, true));
  });
}

/** `x - logsumexp(x, axis)`. */
export function logSoftmax(x: tf.Tensor, axis: number | number[] = -1): tf.Tensor {
  if (axis === -1 || axis === x.rank - 1) return tf.logSoftmax(x);
  return tf.tidy(() => tf.sub(x, tf.logSumExp(x, axis, true)));
}

export function softplus(x: tf.Tensor): tf.Tensor {
  return tf.softplus(x);
}

/** `x / (1 + |x|)`. */
export function softsign(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(x, tf.add(1, tf.abs(x))));
}

/** `x` for x > 0, `alpha * (exp(x) - 1)` otherwise. */
export function elu(x: tf.Tensor, alpha = 1): tf.Tensor {
  if (alpha === 1) return tf.elu(x);
  return tf.tidy(() => tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1))));
}

export function selu(x: tf.Tensor): tf.Tensor {
  return tf.selu(x);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Gaussian error linear unit; exact (erf) by default, the tanh approximation on request. */
export function gelu(x: tf.Tensor, approximate = false): tf.Tensor {
  return tf.tidy(() => {
    if (approximate) {
      const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  });
}

/** `x * sigmoid(x)` (a.k.a. swish). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** Keras 3: `relu6(x + 3) / 6`. */
export function hardSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
}

/** Keras 2 (and tf.keras < 2.16): `clip(0.2 x + 0.5, 0, 1)`. */
export function hardSigmoidKeras2(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.clipByValue(tf.add(tf.mul(0.2, x), 0.5), 0, 1));
}

/** `x * hard_sigmoid(x)` (a.k.a. hard_swish). */
export function hardSilu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, hardSigmoid(x)));
}

/** Keras 3 default slope 0.2. */
export function leakyRelu(x: tf.Tensor, negativeSlope = 0.2): tf.Tensor {
  return tf.leakyRelu(x, negativeSlope);
}

/** `x * tanh(softplus(x))`. */
export function mish(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.tanh(tf.softplus(x))));
}

/** `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`. */
export function celu(x: tf.Tensor, alpha = 1): tf.Tensor {
  return tf.tidy(() =>
    tf.add(tf.relu(x), tf.minimum(0, tf.mul(alpha, tf.sub(tf.exp(tf.div(x, alpha)), 1)))),
  );
}

/** Gated linear unit: halves `a, b` of `axis`, `a * sigmoid(b)`. */
export function glu(x: tf.Tensor, axis = -1): tf.Tensor {
  const ax = axis < 0 ? x.rank + axis : axis;
  const size = x.shape[ax] as number;
  if (size % 2 !== 0) {
    throw new Error(
      `glu expects an even size along axis ${axis}. Received: x.shape=[${x.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const [a, b] = tf.split(x, 2, ax) as [tf.Tensor, tf.Tensor];
    return tf.mul(a, tf.sigmoid(b));
  });
}

/** `clip(x, -1, 1)`. */
export function hardTanh(x: tf.Tensor): tf.Tensor {
  return tf.clipByValue(x, -1, 1);
}

/** `log(sigmoid(x))`. */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.logSigmoid(x);
}

/** `x - tanh(x)`. */
export function tanhShrink(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(x, tf.tanh(x)));
}

/** `(x + sqrt(x^2 + b)) / 2`. */
export function squareplus(x: tf.Tensor, b = 4): tf.Tensor {
  return tf.tidy(() => tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), b))), 2));
}

/** `x - t` above t, `x + t` below -t, 0 between. */
export function softShrink(x: tf.Tensor, threshold = 0.5): tf.Tensor {
  return tf.tidy(() =>
    tf.where(
      tf.greater(x, threshold),
      tf.sub(x, threshold),
      tf.where(tf.less(x, -threshold), tf.add(x, threshold), tf.zerosLike(x)),
    ),
  );
}

/** `x` where `|x| > t`, else 0. */
export function hardShrink(x: tf.Tensor, threshold = 0.5): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.cast(tf.greater(tf.abs(x), threshold), x.dtype)));
}

/** Sparsemax (Martins & Astudillo 2016) along the last axis: a projection onto the simplex. */
export function sparsemax(x: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    const ax = axis < 0 ? x.rank + axis : axis;
    const moved = ax === x.rank - 1 ? x : tf.transpose(x, swapLast(x.rank, ax));
    const n = moved.shape[moved.rank - 1] as number;
    const sorted = tf.topk(moved, n).values;
    // The wasm Cumsum kernel mishandles negative axes.
    const cumsum = tf.cumsum(sorted, sorted.rank - 1);
    const k = tf.range(1, n + 1, 1, 'float32');
    const support = tf.cast(tf.greater(tf.add(1, tf.mul(k, sorted)), cumsum), 'float32');
    const kz = tf.sum(support, -1, true);
    const tauSum = tf.sum(tf.mul(support, sorted), -1, true);
    const tau = tf.div(tf.sub(tauSum, 1), kz);
    const out = tf.relu(tf.sub(moved, tau));
    return ax === x.rank - 1 ? out : tf.transpose(out, swapLast(x.rank, ax));
  });
}

function swapLast(rank: number, axis: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[axis] = rank - 1;
  perm[rank - 1] = axis;
  return perm;
}
