import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';

/** 2-D transposed convolution (Keras `Conv2DTranspose`). */
export class Conv2DTranspose extends BaseConvTranspose {
  static override className = 'Conv2DTranspose';

  constructor(args: ConvTransposeArgs) {
    super(args, 2);
  }
}
