import { BaseDepthwiseConv, type DepthwiseConvArgs } from './base-depthwise-conv.js';

/** 1-D depthwise convolution (Keras `DepthwiseConv1D`). */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  static override className = 'DepthwiseConv1D';

  constructor(args: DepthwiseConvArgs) {
    super(args, 1);
  }
}
