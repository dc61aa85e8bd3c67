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
      ? tf.maxPool3d(x as tf.Tensor5D, size, strides, opts.padding)
      : tf.avgPool3d(x as tf.Tensor5D, size, strides, opts.padding);
  }
  throw new Error(`Pooling of rank ${rank} is not supported; expected 1, 2 or 3.`);
}
