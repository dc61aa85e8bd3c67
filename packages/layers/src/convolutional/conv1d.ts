import { BaseConv, type ConvArgs } from './base-conv.js';

/** 1-D convolution (Keras `Conv1D`); `padding: 'causal'` pads only the start of the sequence. */
export class Conv1D extends BaseConv {
  static override className = 'Conv1D';

  constructor(args: ConvArgs) {
    super(args, 1);
  }
}
