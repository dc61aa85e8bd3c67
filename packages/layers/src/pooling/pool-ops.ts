/**
 * Max / average pooling in channels_last layout with TF's window rules: 'same' pads with the odd
 * element after the data, and average pooling divides by the number of real (unpadded) entries,
 * as TF's avg_pool and Keras do. 1-D pools run as 2-D pools over a height of 1.
 */
import * as tf from '@tensorflow/tfjs-core';

export type PoolMode = 'max' | 'average';

export interface PoolOptions {
  mode: PoolMode;
  poolSize: readonly number[];
  strides: readonly number[];
  padding: 'valid' | 'same';
}

/**
 * 3-D max pooling as a 2-D pool over (height, width) then one over depth. The max over a box is
 * the max over its depth slices of the per-slice maxima, and TF pads each axis independently, so
 * this equals maxPool3d. It exists because the wasm backend's MaxPool3D starts its running max
 * at FLT_MIN (the smallest positive float), so windows of negative values come out as 1.2e-38.
 */
function maxPool3dSeparable(
  x: tf.Tensor,
  size: [number, number, number],
  strides: [number, number, number],
  padding: 'valid' | 'same',
): tf.Tensor {
  return tf.tidy(() => {
    const [b, d, h, w, c] = x.shape as number[];
    const planes = tf.reshape(x, [
      (b as number) * (d as number),
      h as number,
      w as number,
      c as number,
    ]);
    const hw = tf.maxPool(
      planes as tf.Tensor4D,
      [size[1], size[2]],
      [strides[1], strides[2]],
      padding,
    );
    const [, h2, w2] = hw.shape;
    const depthMajor = tf.reshape(hw, [
      b as number,
      d as number,
      (h2 as number) * (w2 as number),
      c as number,
    ]);
    const pooled = tf.maxPool(depthMajor as tf.Tensor4D, [size[0], 1], [strides[0], 1], padding);
    return tf.reshape(pooled, [
      b as number,
      pooled.shape[1] as number,
      h2 as number,
      w2 as number,
      c as number,
    ]);
  });
}

export function poolChannelsLast(x: tf.Tensor, opts: PoolOptions): tf.Tensor {
  const rank = opts.poolSize.length;
  if (rank === 1) {
    return tf.tidy(() =>
      tf.squeeze(
        poolChannelsLast(tf.expandDims(x, 1), {
          ...opts,
          poolSize: [1, opts.poolSize[0] as number],
          strides: [1, opts.strides[0] as number],
        }),
        [1],
      ),
    );
  }
  if (rank === 2) {
    const size: [number, number] = [opts.poolSize[0] as number, opts.poolSize[1] as number];
    const strides: [number, number] = [opts.strides[0] as number, opts.strides[1] as number];
    return opts.mode === 'max'
      ? tf.maxPool(x as tf.Tensor4D, size, strides, opts.padding)
      : tf.avgPool(x as tf.Tensor4D, size, strides, opts.padding);
  }
  if (rank === 3) {
    const size: [number, number, number] = [
      opts.poolSize[0] as number,
      opts.poolSize[1] as number,
      opts.poolSize[2] as number,
    ];
    const strides: [number, number, number] = [
      opts.strides[0] as number,
      opts.strides[1] as number,
      opts.strides[2] as number,
    ];
    return opts.mode === 'max'
      ? maxPool3dSeparable(x, size, strides, opts.padding)
      : tf.avgPool3d(x as tf.Tensor5D, size, strides, opts.padding);
  }
  throw new Error(`Pooling of rank ${rank} is not supported; expected 1, 2 or 3.`);
}
