import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';

/** 3-D transposed convolution (Keras `Conv3DTranspose`). */
export class Conv3DTranspose extends BaseConvTranspose {
  static override className = 'Conv3DTranspose';

  constructor(args: ConvTransposeArgs) {
    super(args, 3);
  }
}
