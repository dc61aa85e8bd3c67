import { BaseDepthwiseConv, type DepthwiseConvArgs } from './base-depthwise-conv.js';

/** 2-D depthwise convolution (Keras `DepthwiseConv2D`). */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  static override className = 'DepthwiseConv2D';

  constructor(args: DepthwiseConvArgs) {
    super(args, 2);
  }
}
