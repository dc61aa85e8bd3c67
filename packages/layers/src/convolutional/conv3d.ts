import { BaseConv, type ConvArgs } from './base-conv.js';

/** 3-D convolution (Keras `Conv3D`). */
export class Conv3D extends BaseConv {
  static override className = 'Conv3D';

  constructor(args: ConvArgs) {
    super(args, 3);
  }
}
