import { BaseZeroPadding, type ZeroPaddingArgs } from './zero-padding-base.js';

/** Pads the 3 spatial axis/axes with zeros (Keras `ZeroPadding3D`, default one on each side). */
export class ZeroPadding3D extends BaseZeroPadding {
  static override className = 'ZeroPadding3D';

  constructor(args: ZeroPaddingArgs = {}) {
    super(args, 3);
  }
}
