import { BaseSeparableConv, type SeparableConvArgs } from './base-separable-conv.js';

/** 2-D depthwise-separable convolution (Keras `SeparableConv2D`). */
export class SeparableConv2D extends BaseSeparableConv {
  static override className = 'SeparableConv2D';

  constructor(args: SeparableConvArgs) {
    super(args, 2);
  }
}
