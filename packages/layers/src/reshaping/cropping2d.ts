import { BaseCropping, type CroppingArgs } from './cropping-base.js';

/** Crops the 2 spatial axis/axes (Keras `Cropping2D`). */
export class Cropping2D extends BaseCropping {
  static override className = 'Cropping2D';

  constructor(args: CroppingArgs = {}) {
    super(args, 2, 0);
  }
}
