import * as tf from '@tensorflow/tfjs-core';
import { type Config, type DType, toTfDtype } from '../engine/types.js';
import { Initializer } from './initializer.js';
import { checkSeed, drawSeed } from './seed.js';

/**
 * Base of the random initializers. With an integer `seed` every call gives the same values
 * (Keras 3); without one each call draws a new seed (from the global seed stream when set).
 */
export abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;

  constructor(args: { seed?: number | null } = {}) {
    super();
    this.seed = checkSeed(args.seed);
  }

  protected nextSeed(): number {
    return this.seed ?? drawSeed();
  }

  protected finish(t: tf.Tensor, dtype?: DType): tf.Tensor {
    const target = toTfDtype(dtype ?? 'float32');
    if (t.dtype === target) return t;
    const cast = tf.cast(t, target);
    t.dispose();
    return cast;
  }

  override getConfig(): Config {
    return { seed: this.seed };
  }
}

/** Normal distribution, `mean` 0 and `stddev` 0.05 by default. */
export class RandomNormal extends RandomInitializer {
  static override className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;

  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    return this.finish(
      tf.randomNormal(shape, this.mean, this.stddev, 'float32', this.nextSeed()),
      dtype,
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/** Normal distribution re-drawn beyond two standard deviations. */
export class TruncatedNormal extends RandomInitializer {
  static override className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;

  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    return this.finish(
      tf.truncatedNormal(shape, this.mean, this.stddev, 'float32', this.nextSeed()),
      dtype,
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/** Uniform distribution on `[minval, maxval)`, -0.05 to 0.05 by default. */
export class RandomUniform extends RandomInitializer {
  static override className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;

  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(args);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    return this.finish(
      tf.randomUniform(shape, this.minval, this.maxval, 'float32', this.nextSeed()),
      dtype,
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), minval: this.minval, maxval: this.maxval };
  }
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform' | 'normal';

export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode;
  distribution?: Distribution;
  seed?: number | null;
  inputAxes?: number[] | null;
  outputAxes?: number[] | null;
}

/** Keras's `compute_fans`: convolution kernels count the receptive field. */
export function computeFans(
  shape: readonly number[],
  inputAxes: number[] | null = null,
  outputAxes: number[] | null = null,
): [number, number] {
  const at = (axis: number) => shape[axis < 0 ? shape.length + axis : axis] ?? 1;
  if (inputAxes !== null && outputAxes !== null) {
    return [inputAxes.reduce((p, a) => p * at(a), 1), outputAxes.reduce((p, a) => p * at(a), 1)];
  }
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [at(0), at(0)];
  if (shape.length === 2) return [at(0), at(1)];
  const receptive = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return [at(-2) * receptive, at(-1) * receptive];
}

/** Scale-aware initializer: the variance is `scale / fan` for the chosen fan. */
export class VarianceScaling extends RandomInitializer {
  static override className = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly inputAxes: number[] | null;
  readonly outputAxes: number[] | null;

  constructor(args: VarianceScalingArgs = {}) {
    super(args);
    const scale = args.scale ?? 1;
    if (!(typeof scale === 'number' && scale > 0)) {
      throw new Error(
        `Received an invalid value for "scale", expected a positive number. Received: scale=${JSON.stringify(scale)}`,
      );
    }
    const mode = args.mode ?? 'fan_in';
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(mode)) {
      throw new Error(
        `Received an invalid value for "mode", expected one of fan_in, fan_out, fan_avg. Received: mode=${JSON.stringify(mode)}`,
      );
    }
    // Keras 2 wrote 'normal' for what Keras 3 calls 'truncated_normal'.
    const distribution =
      args.distribution === 'normal'
        ? 'truncated_normal'
        : (args.distribution ?? 'truncated_normal');
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(distribution)) {
      throw new Error(
        'Received an invalid value for "distribution", expected one of truncated_normal, ' +
          `untruncated_normal, uniform. Received: distribution=${JSON.stringify(distribution)}`,
      );
    }
    this.scale = scale;
    this.mode = mode;
    this.distribution = distribution;
    this.inputAxes = args.inputAxes ?? null;
    this.outputAxes = args.outputAxes ?? null;
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    const [fanIn, fanOut] = computeFans(shape, this.inputAxes, this.outputAxes);
    const fan =
      this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, fan);
    const seed = this.nextSeed();
    let t: tf.Tensor;
    if (this.distribution === 'truncated_normal') {
      // 0.8796... is the stddev of a standard normal truncated to [-2, 2].
      t = tf.truncatedNormal(shape, 0, Math.sqrt(scale) / 0.8796256610342398, 'float32', seed);
    } else if (this.distribution === 'untruncated_normal') {
      t = tf.randomNormal(shape, 0, Math.sqrt(scale), 'float32', seed);
    } else {
      const limit = Math.sqrt(3 * scale);
      t = tf.randomUniform(shape, -limit, limit, 'float32', seed);
    }
    return this.finish(t, dtype);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      input_axes: this.inputAxes,
      output_axes: this.outputAxes,
    };
  }
}

export interface PresetArgs {
  seed?: number | null;
  inputAxes?: number[] | null;
  outputAxes?: number[] | null;
}

/** The named VarianceScaling presets; their config is only `seed` and the axes, like Keras 3. */
abstract class VarianceScalingPreset extends VarianceScaling {
  override getConfig(): Config {
    return { seed: this.seed, input_axes: this.inputAxes, output_axes: this.outputAxes };
  }
}

/** Glorot/Xavier uniform: limit `sqrt(6 / (fanIn + fanOut))`. */
export class GlorotUniform extends VarianceScalingPreset {
  static override className = 'GlorotUniform';

  constructor(args: PresetArgs = {}) {
    super({ ...args, scale: 1, mode: 'fan_avg', distribution: 'uniform' });
  }
}

/** Glorot/Xavier normal (truncated). */
export class GlorotNormal extends VarianceScalingPreset {
  static override className = 'GlorotNormal';

  constructor(args: PresetArgs = {}) {
    super({ ...args, scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' });
  }
}

/** He uniform: limit `sqrt(6 / fanIn)`. */
export class HeUniform extends VarianceScalingPreset {
  static override className = 'HeUniform';

  constructor(args: PresetArgs = {}) {
    super({ ...args, scale: 2, mode: 'fan_in', distribution: 'uniform' });
  }
}

/** He normal (truncated). */
export class HeNormal extends VarianceScalingPreset {
  static override className = 'HeNormal';

  constructor(args: PresetArgs = {}) {
    super({ ...args, scale: 2, mode: 'fan_in', distribution: 'truncated_normal' });
  }
}

/** LeCun uniform: limit `sqrt(3 / fanIn)`. */
export class LecunUniform extends VarianceScalingPreset {
  static override className = 'LecunUniform';

  constructor(args: PresetArgs = {}) {
    super({ ...args, scale: 1, mode: 'fan_in', distribution: 'uniform' });
  }
}

/** LeCun normal (truncated). */
export class LecunNormal extends VarianceScalingPreset {
  static override className = 'LecunNormal';

  constructor(args: PresetArgs = {}) {
    super({ ...args, scale: 1, mode: 'fan_in', distribution: 'truncated_normal' });
  }
}
