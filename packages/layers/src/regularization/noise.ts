import * as tf from '@tensorflow/tfjs-core';
import { checkRate } from '../core/validation.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';
import { concreteNoiseShape } from './dropout.js';
import { SeedStream } from './seed-stream.js';

/** Shared by the noise layers: identity at inference, same shape and dtype out. */
abstract class NoiseLayer extends Layer {
  protected readonly seeds: SeedStream;

  constructor(args: LayerArgs & { seed?: number | null }) {
    super(args);
    this.seeds = new SeedStream(args.seed);
    this.supportsMasking = true;
  }

  get seed(): number | null {
    return this.seeds.seed;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override computeOutputDtype(inputDtypes: DType[]): DType {
    return inputDtypes[0] ?? this.dtype;
  }
}

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}

/** Adds zero-centred Gaussian noise of `stddev` during training. */
export class GaussianNoise extends NoiseLayer {
  static override className = 'GaussianNoise';
  readonly stddev: number;

  constructor(args: LayerArgs & { stddev: number; seed?: number | null }) {
    super(args);
    const stddev = args?.stddev;
    if (typeof stddev !== 'number' || !(stddev >= 0)) {
      throw new Error(
        `Received an invalid value for "stddev", expected a non-negative number. Received: stddev=${String(stddev)}`,
      );
    }
    this.stddev = stddev;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = single(inputs);
    if (args.training !== true || this.stddev === 0) return x;
    return tf.tidy(() =>
      tf.add(x, tf.randomNormal(x.shape, 0, this.stddev, 'float32', this.seeds.next())),
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}

/** Multiplies by Gaussian noise of mean 1 and stddev `sqrt(rate / (1 - rate))` during training. */
export class GaussianDropout extends NoiseLayer {
  static override className = 'GaussianDropout';
  readonly rate: number;

  constructor(args: LayerArgs & { rate: number; seed?: number | null }) {
    super(args);
    this.rate = checkRate('rate', args?.rate, true);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = single(inputs);
    if (args.training !== true || this.rate <= 0 || this.rate >= 1) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.tidy(() =>
      tf.mul(x, tf.randomNormal(x.shape, 1, stddev, 'float32', this.seeds.next())),
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for SELU networks: dropped units take SELU's negative saturation value and an affine
 * correction keeps the mean and variance (Klambauer et al. 2017).
 */
export class AlphaDropout extends NoiseLayer {
  static override className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;

  constructor(
    args: LayerArgs & { rate: number; noiseShape?: (number | null)[] | null; seed?: number | null },
  ) {
    super(args);
    this.rate = checkRate('rate', args?.rate, true);
    this.noiseShape = args.noiseShape ? [...args.noiseShape] : null;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = single(inputs);
    if (args.training !== true || this.rate <= 0) return x;
    const rate = this.rate;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    return tf.tidy(() => {
      const noise = tf.randomUniform(
        concreteNoiseShape(x, this.noiseShape),
        0,
        1,
        'float32',
        this.seeds.next(),
      );
      const kept = tf.cast(tf.greaterEqual(noise, rate), x.dtype);
      const dropped = tf.add(tf.mul(x, kept), tf.mul(alphaP, tf.sub(1, kept)));
      return tf.add(tf.mul(a, dropped), b);
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
}
