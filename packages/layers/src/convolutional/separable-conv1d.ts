import { BaseSeparableConv, type SeparableConvArgs } from './base-separable-conv.js';

/** 1-D depthwise-separable convolution (Keras `SeparableConv1D`). */
export class SeparableConv1D extends BaseSeparableConv {
  static override className = 'SeparableConv1D';

  constructor(args: SeparableConvArgs) {
    super(args, 1);
  }
}
