import * as tf from '@tensorflow/tfjs-core';
import type { LayerArgs } from '../engine/layer.js';
import { Merge } from './merge.js';

/** Elementwise sum of the inputs. */
export class Add extends Merge {
  static override className = 'Add';
  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((acc, x) => tf.add(acc, x), inputs[0] as tf.Tensor);
  }
}

/** `inputs[0] - inputs[1]`; exactly two inputs. */
export class Subtract extends Merge {
  static override className = 'Subtract';
  protected override readonly minInputs = 2;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    if (inputs.length !== 2) {
      throw new Error(
        `A Subtract layer ("${this.name}") should be called on exactly 2 inputs. Received: ${inputs.length} inputs`,
      );
    }
    return tf.sub(inputs[0] as tf.Tensor, inputs[1] as tf.Tensor);
  }

  override build(inputShape: Parameters<Merge['build']>[0]): void {
    const shapes = this.checkList(inputShape);
    if (shapes.length !== 2) {
      throw new Error(
        `A Subtract layer ("${this.name}") should be called on exactly 2 inputs. Received: ${shapes.length} inputs`,
      );
    }
    super.build(inputShape);
  }
}

/** Elementwise product of the inputs. */
export class Multiply extends Merge {
  static override className = 'Multiply';
  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((acc, x) => tf.mul(acc, x), inputs[0] as tf.Tensor);
  }
}

/** Elementwise mean of the inputs. */
export class Average extends Merge {
  static override className = 'Average';
  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    const sum = inputs.slice(1).reduce((acc, x) => tf.add(acc, x), inputs[0] as tf.Tensor);
    return tf.div(sum, inputs.length);
  }
}

/** Elementwise maximum of the inputs. */
export class Maximum extends Merge {
  static override className = 'Maximum';
  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((acc, x) => tf.maximum(acc, x), inputs[0] as tf.Tensor);
  }
}

/** Elementwise minimum of the inputs. */
export class Minimum extends Merge {
  static override className = 'Minimum';
  protected mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return inputs.slice(1).reduce((acc, x) => tf.minimum(acc, x), inputs[0] as tf.Tensor);
  }
}
