import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Config, Shape } from '../engine/types.js';
import { Attention, type AttentionArgs } from './attention.js';

export type AdditiveAttentionArgs = Omit<AttentionArgs, 'scoreMode'>;

/**
 * Keras's AdditiveAttention (Bahdanau-style): scores `sum(scale * tanh(query + key), -1)` with a
 * learned `scale` vector of the feature size (Keras default `useScale: true`).
 */
export class AdditiveAttention extends Attention {
  static override className = 'AdditiveAttention';

  constructor(args: AdditiveAttentionArgs = {}) {
    super({ ...args, useScale: args.useScale ?? true, scoreMode: 'dot' });
  }

  protected override buildScoreWeights(inputShapes: Shape[]): void {
    const queryShape = inputShapes[0] as Shape;
    const dim = queryShape[queryShape.length - 1];
    if (this.useScale) {
      if (typeof dim !== 'number') {
        throw new Error(
          `AdditiveAttention needs a known feature size. Received: query shape=(${queryShape.join(', ')})`,
        );
      }
      this.scale = this.addWeight({ name: 'scale', shape: [dim], initializer: 'glorot_uniform' });
    }
  }

  protected override calculateScores(query: Tensor, key: Tensor): Tensor {
    const t = tf.tanh(tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3)));
    return tf.sum(this.scale ? tf.mul(this.scale.read(), t) : t, -1);
  }

  override getConfig(): Config {
    const { score_mode: _unused, ...config } = super.getConfig();
    return config;
  }
}
