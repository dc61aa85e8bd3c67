import { BaseConvTranspose, type ConvTransposeArgs } from './base-conv-transpose.js';

/** 1-D transposed convolution (Keras `Conv1DTranspose`). */
export class Conv1DTranspose extends BaseConvTranspose {
  static override className = 'Conv1DTranspose';

  constructor(args: ConvTransposeArgs) {
    super(args, 1);
  }
}
