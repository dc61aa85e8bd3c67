import type * as tf from '@tensorflow/tfjs-core';
import * as losses from '../losses/index.js';
import * as metrics from '../metrics/index.js';
import type { MetricLike } from './compile-metrics.js';

/** Resolves a loss name (snake or camel case) through `losses.get`. */
export function resolveLoss(id: unknown): unknown {
  return losses.get(id as never);
}

const BINARY_LOSSES = new Set([
  'binary_crossentropy',
  'binaryCrossentropy',
  'binary_focal_crossentropy',
]);

/**
 * Resolves a metric identifier; 'accuracy' / 'acc' (and 'crossentropy' / 'ce') pick the binary,
 * sparse or categorical variant from the shapes and the loss, as Keras does.
 */
export function resolveMetric(
  id: unknown,
  ctx: { yTrue: tf.Tensor; yPred: tf.Tensor; lossName: string | null },
): MetricLike {
  if (typeof id === 'string') {
    const lower = id.toLowerCase();
    const kind = metricKind(ctx);
    if (lower === 'accuracy' || lower === 'acc') {
      const cls =
        kind === 'binary'
          ? metrics.BinaryAccuracy
          : kind === 'sparse'
            ? metrics.SparseCategoricalAccuracy
            : metrics.CategoricalAccuracy;
      return new cls({ name: id }) as unknown as MetricLike;
    }
    if (lower === 'crossentropy' || lower === 'ce') {
      const cls =
        kind === 'binary'
          ? metrics.BinaryCrossentropy
          : kind === 'sparse'
            ? metrics.SparseCategoricalCrossentropy
            : metrics.CategoricalCrossentropy;
      return new cls({ name: id }) as unknown as MetricLike;
    }
  }
  return metrics.get(id as never) as unknown as MetricLike;
}

function metricKind(ctx: {
  yTrue: tf.Tensor;
  yPred: tf.Tensor;
  lossName: string | null;
}): 'binary' | 'sparse' | 'categorical' {
  const { yTrue, yPred, lossName } = ctx;
  if (lossName && BINARY_LOSSES.has(lossName)) return 'binary';
  const last = yPred.shape[yPred.rank - 1];
  if (last === 1) return 'binary';
  if (lossName?.startsWith('sparse')) return 'sparse';
  if (yTrue.rank === yPred.rank - 1) return 'sparse';
  if (yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1) return 'sparse';
  return 'categorical';
}
