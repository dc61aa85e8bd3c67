import { BaseCropping, type CroppingArgs } from './cropping-base.js';

/** Crops the 3 spatial axis/axes (Keras `Cropping3D`). */
export class Cropping3D extends BaseCropping {
  static override className = 'Cropping3D';

  constructor(args: CroppingArgs = {}) {
    super(args, 3, 1);
  }
}
