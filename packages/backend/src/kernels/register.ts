import type { KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { registerChannelsFirstConv } from './channels-first.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { registerIm2colConv } from './conv2d-im2col.js';
import {
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './depthwise-backprop.js';
import { registerFastMatMul } from './fast-matmul.js';
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
  // im2col first, so the NCHW wrapper (outermost) hands it NHWC data.
  registerIm2colConv();
  registerChannelsFirstConv();
  // Faster than the stock wasm kernel of the same name, so it replaces it.
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (stock?.kernelFunc !== conv2dBackpropInputConfig.kernelFunc) {
    if (stock != null) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel(conv2dBackpropInputConfig);
  }
  for (const config of wasmTrainingKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') == null) tf.registerKernel(config);
  }
}
