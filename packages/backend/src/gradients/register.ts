import type { GradConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { arithmeticGradients } from './arithmetic.js';
import { convGradients } from './conv.js';
import { matMulGradients } from './matmul.js';
import { nnGradients } from './nn.js';
import { poolingGradients } from './pooling.js';
import { reductionGradients } from './reductions.js';
import { resizeBilinearGradient } from './resize-bilinear.js';
import { shapeGradients } from './shape.js';
import { slicingGradients } from './slicing.js';
import { unaryGradients } from './unary.js';

/** Every gradient keras-ts registers, one per tfjs kernel name. */
export const allGradients: readonly GradConfig[] = [
  ...arithmeticGradients,
  ...unaryGradients,
  ...nnGradients,
  ...reductionGradients,
  ...matMulGradients,
  ...shapeGradients,
  ...slicingGradients,
  ...convGradients,
  ...poolingGradients,
];

let registered = false;

/**
 * Registers the gradients tfjs-core's Node bundle lacks, once per process. A kernel that already
 * has a gradient (another tfjs bundle loaded first) keeps it: both compute the same thing.
 */
export function registerGradients(): void {
  if (registered) return;
  registered = true;
  for (const config of allGradients) {
    if (tf.getGradient(config.kernelName) == null) tf.registerGradient(config);
  }
  // Overrides any earlier one: the stock ResizeBilinearGrad route is wrong for half-pixel centres.
  tf.registerGradient(resizeBilinearGradient);
}
