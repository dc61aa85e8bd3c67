import { BaseCropping, type CroppingArgs } from './cropping-base.js';

/** Crops the 1 spatial axis/axes (Keras `Cropping1D`). */
export class Cropping1D extends BaseCropping {
  static override className = 'Cropping1D';

  constructor(args: CroppingArgs = {}) {
    super(args, 1, 1);
  }
}
