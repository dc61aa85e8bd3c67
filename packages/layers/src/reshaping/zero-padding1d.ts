import { BaseZeroPadding, type ZeroPaddingArgs } from './zero-padding-base.js';

/** Pads the 1 spatial axis/axes with zeros (Keras `ZeroPadding1D`, default one on each side). */
export class ZeroPadding1D extends BaseZeroPadding {
  static override className = 'ZeroPadding1D';

  constructor(args: ZeroPaddingArgs = {}) {
    super(args, 1);
  }
}
