import { BaseConv, type ConvArgs } from './base-conv.js';

/** 2-D convolution (Keras `Conv2D`). */
export class Conv2D extends BaseConv {
  static override className = 'Conv2D';

  constructor(args: ConvArgs) {
    super(args, 2);
  }
}
