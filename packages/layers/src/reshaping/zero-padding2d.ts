import { BaseZeroPadding, type ZeroPaddingArgs } from './zero-padding-base.js';

/** Pads the 2 spatial axis/axes with zeros (Keras `ZeroPadding2D`, default one on each side). */
export class ZeroPadding2D extends BaseZeroPadding {
  static override className = 'ZeroPadding2D';

  constructor(args: ZeroPaddingArgs = {}) {
    super(args, 2);
  }
}
