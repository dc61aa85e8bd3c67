import * as tf from '@tensorflow/tfjs-core';

/** The clipping options of an optimizer; at most one is set (Keras checks the same). */
export interface ClipOptions {
  clipnorm: number | null;
  clipvalue: number | null;
  globalClipnorm: number | null;
}

export function checkClipOptions({ clipnorm, clipvalue, globalClipnorm }: ClipOptions): void {
  const set = [clipnorm, clipvalue, globalClipnorm].filter((a) => a !== null);
  if (set.length > 1) {
    throw new Error(
      'Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: ' +
        `clipnorm=${clipnorm}, clipvalue=${clipvalue}, global_clipnorm=${globalClipnorm}`,
    );
  }
}

/** Keras `_clip_gradients`: clipnorm per tensor, else global norm, else value clipping. */
export function clipGradients(grads: tf.Tensor[], options: ClipOptions): tf.Tensor[] {
  const { clipnorm, clipvalue, globalClipnorm } = options;
  if (clipnorm && clipnorm > 0) {
    return grads.map((g) => {
      const l2sum = tf.sum(tf.square(g), undefined, true);
      const positive = tf.greater(l2sum, 0);
      // sqrt only where positive: the gradient of sqrt at 0 is not finite.
      const norm = tf.where(
        positive,
        tf.sqrt(tf.where(positive, l2sum, tf.onesLike(l2sum))),
        l2sum,
      );
      return tf.div(tf.mul(g, clipnorm), tf.maximum(norm, clipnorm));
    });
  }
  if (globalClipnorm && globalClipnorm > 0) {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.mul(globalClipnorm, tf.minimum(tf.div(1, norm), 1 / globalClipnorm));
    return grads.map((g) => tf.mul(g, scale));
  }
  if (clipvalue && clipvalue > 0) {
    return grads.map((g) => tf.clipByValue(g, -clipvalue, clipvalue));
  }
  return grads;
}
