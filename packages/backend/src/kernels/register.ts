import type { KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { registerChannelsFirstConv } from './channels-first.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { conv3dBackpropFilterConfig, conv3dBackpropInputConfig } from './conv3d-backprop.js';
import {
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './depthwise-backprop.js';
import { registerFastGather } from './fast-gather.js';
import { registerFastMatMul } from './fast-matmul.js';
import { registerFastSlice } from './fast-slice.js';
import { registerFastMaxPoolGrad } from './max-pool-grad.js';
import { registerMaxPool3DGrad } from './max-pool3d-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** The kernels the wasm backend lacks for training, each composed from its own kernels. */
export const wasmTrainingKernels: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
];

let registered = false;

/**
 * Installs the wasm training kernels once. Runs before the wasm backend initialises so the
 * wrapped kernels' setup functions (which bind the wasm exports) run with the backend.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerFastMatMul();
  registerFastGather();
  registerFastMaxPoolGrad();
  registerMaxPool3DGrad();
  registerFastSlice();
  registerChannelsFirstConv();
  // Replacements for stock wasm kernels: faster (Conv2DBackpropInput) or correct (Conv3D's).
  for (const config of [
    conv2dBackpropInputConfig,
    conv3dBackpropInputConfig,
    conv3dBackpropFilterConfig,
  ]) {
    const stock = tf.getKernel(config.kernelName, 'wasm');
    if (stock?.kernelFunc === config.kernelFunc) continue;
    if (stock != null) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  for (const config of wasmTrainingKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') == null) tf.registerKernel(config);
  }
}
