import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';

/**
 * Masks timesteps whose features all equal `maskValue`: those become zeros in the output and
 * false in the mask handed to the next layers.
 */
export class Masking extends Layer {
  static override className = 'Masking';
  readonly maskValue: number;

  constructor(args: LayerArgs & { maskValue?: number | SerializedTensor } = {}) {
    super(args);
    const maskValue = fromSerializedTensor(args.maskValue ?? 0);
    if (typeof maskValue !== 'number') {
      throw new Error(
        `Received an invalid value for "maskValue", expected a number. Received: maskValue=${JSON.stringify(maskValue)}`,
      );
    }
    this.maskValue = maskValue;
    this.supportsMasking = true;
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.tidy(() => tf.any(tf.notEqual(x, this.maskValue), -1));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.tidy(() => {
      const keep = tf.any(tf.notEqual(x, this.maskValue), -1, true);
      return tf.mul(x, tf.cast(keep, x.dtype));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}

/** Keras 3 may store `mask_value` as `{"class_name": "__tensor__", "config": {"value": [0.0]}}`. */
export interface SerializedTensor {
  class_name: '__tensor__';
  config: { value: unknown; dtype?: string };
}

function fromSerializedTensor(v: unknown): unknown {
  if (
    typeof v !== 'object' ||
    v === null ||
    (v as { class_name?: unknown }).class_name !== '__tensor__'
  )
    return v;
  const values = [(v as SerializedTensor).config.value].flat(Number.POSITIVE_INFINITY);
  // One scalar (possibly wrapped in lists): masking compares against a single value.
  if (values.length >= 1 && values.every((x) => x === values[0]) && typeof values[0] === 'number')
    return values[0];
  return v;
}
