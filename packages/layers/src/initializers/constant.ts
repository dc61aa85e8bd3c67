import * as tf from '@tensorflow/tfjs-core';
import { type Config, type DType, toTfDtype } from '../engine/types.js';
import { Initializer } from './initializer.js';

function tfDtype(dtype: DType | undefined) {
  return toTfDtype(dtype ?? 'float32');
}

/** All zeros. */
export class Zeros extends Initializer {
  static override className = 'Zeros';

  constructor(_args: Record<string, unknown> = {}) {
    super();
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    return tf.zeros(shape, tfDtype(dtype) === 'string' ? 'string' : (tfDtype(dtype) as 'float32'));
  }
}

/** All ones. */
export class Ones extends Initializer {
  static override className = 'Ones';

  constructor(_args: Record<string, unknown> = {}) {
    super();
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    return tf.ones(shape, tfDtype(dtype) as 'float32');
  }
}

/** Every element equal to `value`. */
export class Constant extends Initializer {
  static override className = 'Constant';
  readonly value: number;

  constructor(args: { value?: number } = {}) {
    super();
    const value = args.value ?? 0;
    if (typeof value !== 'number') {
      throw new Error(
        `Received an invalid value for "value", expected a number. Received: value=${JSON.stringify(value)}`,
      );
    }
    this.value = value;
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    return tf.fill(shape, this.value, tfDtype(dtype) as 'float32');
  }

  override getConfig(): Config {
    return { value: this.value };
  }
}

/** `gain` times the identity matrix; only for 2D shapes, like Keras. */
export class Identity extends Initializer {
  static override className = 'Identity';
  readonly gain: number;

  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    if (shape.length !== 2) {
      throw new Error(
        `Identity initializer can only be used for 2D matrices. Received: shape=[${shape.join(', ')}]`,
      );
    }
    const [rows, cols] = shape as [number, number];
    return tf.tidy(() =>
      tf.mul(tf.eye(rows, cols, undefined, tfDtype(dtype) as 'float32'), this.gain),
    );
  }

  override getConfig(): Config {
    return { gain: this.gain };
  }
}
