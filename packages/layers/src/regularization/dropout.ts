import * as tf from '@tensorflow/tfjs-core';
import { checkRate } from '../core/validation.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';
import { SeedStream } from './seed-stream.js';

export interface DropoutArgs extends LayerArgs {
  rate: number;
  /** Shape of the keep/drop mask, broadcast over the input; `null` entries follow the input. */
  noiseShape?: (number | null)[] | null;
  seed?: number | null;
}

/** Resolves `null` entries of a noise shape from the input shape. */
export function concreteNoiseShape(x: tf.Tensor, noiseShape: (number | null)[] | null): number[] {
  if (noiseShape === null) return x.shape;
  return noiseShape.map((d, i) => d ?? (x.shape[i] as number));
}

/** Inverted dropout: zeroes a `rate` fraction and scales the rest by `1 / (1 - rate)`. */
export function dropout(x: tf.Tensor, rate: number, noiseShape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const keep = tf.cast(
      tf.greaterEqual(tf.randomUniform(noiseShape, 0, 1, 'float32', seed), rate),
      x.dtype,
    );
    return tf.mul(x, tf.div(keep, 1 - rate));
  });
}

/** Keras Dropout: active only when called with `training: true`. */
export class Dropout extends Layer {
  static override className = 'Dropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  protected readonly seeds: SeedStream;

  constructor(args: DropoutArgs) {
    super(args);
    this.rate = checkRate('rate', args?.rate, true);
    this.noiseShape = args.noiseShape ? [...args.noiseShape] : null;
    this.seeds = new SeedStream(args.seed);
    this.supportsMasking = true;
  }

  get seed(): number | null {
    return this.seeds.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (args.training !== true || this.rate === 0) return x;
    return dropout(x, this.rate, this.noiseShapeFor(x), this.seeds.next());
  }

  protected noiseShapeFor(x: tf.Tensor): number[] {
    return concreteNoiseShape(x, this.noiseShape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
}
