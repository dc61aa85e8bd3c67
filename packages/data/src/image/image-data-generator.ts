import type * as tf from '@tensorflow/tfjs-core';
import type { SeededRandom } from '../random.js';
import { type AffineParams, applyAffine, type FillMode, flip } from './affine.js';
import { DirectoryIterator, type FlowFromDirectoryOptions } from './directory.js';
import { type FlowOptions, type FlowSequence, flow } from './flow.js';

export type DataFormat = 'channels_last' | 'channels_first';

export interface ImageDataGeneratorOptions {
  featurewiseCenter?: boolean;
  samplewiseCenter?: boolean;
  featurewiseStdNormalization?: boolean;
  samplewiseStdNormalization?: boolean;
  /** Degrees, drawn uniformly in [-r, r]. */
  rotationRange?: number;
  /** Fraction of the width (< 1) or pixels (>= 1), drawn in [-r, r]. */
  widthShiftRange?: number;
  heightShiftRange?: number;
  brightnessRange?: [number, number] | null;
  /** Shear angle in degrees, drawn in [-r, r]. */
  shearRange?: number;
  /** A float z gives [1 - z, 1 + z]; or [lower, upper]. */
  zoomRange?: number | [number, number];
  channelShiftRange?: number;
  fillMode?: FillMode;
  cval?: number;
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
  rescale?: number | null;
  preprocessingFunction?:
    | ((image: Float32Array, shape: [number, number, number]) => Float32Array)
    | null;
  dataFormat?: DataFormat;
}

/** The random draws for one image (Keras's `get_random_transform`). */
export interface TransformParams extends AffineParams {
  flipHorizontal: boolean;
  flipVertical: boolean;
  channelShiftIntensity: number | null;
  brightness: number | null;
}

function checkRange(name: string, v: number) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`${name} must be a non-negative number. Received: ${name}=${v}`);
  }
}

/**
 * `keras.preprocessing.image.ImageDataGenerator`: real-time augmentation and standardisation of
 * image batches. Images are [h, w, c] (or [c, h, w] with channels_first), batches [n, ...].
 */
export class ImageDataGenerator {
  readonly options: Required<
    Omit<
      ImageDataGeneratorOptions,
      'brightnessRange' | 'rescale' | 'preprocessingFunction' | 'zoomRange'
    >
  > & {
    brightnessRange: [number, number] | null;
    rescale: number | null;
    preprocessingFunction: ImageDataGeneratorOptions['preprocessingFunction'];
    zoomRange: [number, number];
  };
  /** Per-channel mean and std from `fit` (featurewise options). */
  mean: Float32Array | null = null;
  std: Float32Array | null = null;

  constructor(options: ImageDataGeneratorOptions = {}) {
    const zoom = options.zoomRange ?? 0;
    let zoomRange: [number, number];
    if (typeof zoom === 'number') {
      checkRange('zoomRange', zoom);
      zoomRange = [1 - zoom, 1 + zoom];
    } else if (Array.isArray(zoom) && zoom.length === 2) {
      zoomRange = [zoom[0], zoom[1]];
    } else {
      throw new Error(
        `zoomRange should be a float or a tuple or list of two floats. Received: zoomRange=${String(zoom)}`,
      );
    }
    const dataFormat = options.dataFormat ?? 'channels_last';
    if (dataFormat !== 'channels_last' && dataFormat !== 'channels_first') {
      throw new Error(
        `dataFormat should be "channels_last" or "channels_first". Received: dataFormat=${String(dataFormat)}`,
      );
    }
    const fillMode = options.fillMode ?? 'nearest';
    if (!['nearest', 'constant', 'reflect', 'wrap'].includes(fillMode)) {
      throw new Error(
        `fillMode should be one of nearest, constant, reflect, wrap. Received: fillMode=${fillMode}`,
      );
    }
    this.options = {
      featurewiseCenter: options.featurewiseCenter ?? false,
      samplewiseCenter: options.samplewiseCenter ?? false,
      featurewiseStdNormalization: options.featurewiseStdNormalization ?? false,
      samplewiseStdNormalization: options.samplewiseStdNormalization ?? false,
      rotationRange: options.rotationRange ?? 0,
      widthShiftRange: options.widthShiftRange ?? 0,
      heightShiftRange: options.heightShiftRange ?? 0,
      brightnessRange: options.brightnessRange ?? null,
      shearRange: options.shearRange ?? 0,
      zoomRange,
      channelShiftRange: options.channelShiftRange ?? 0,
      fillMode,
      cval: options.cval ?? 0,
      horizontalFlip: options.horizontalFlip ?? false,
      verticalFlip: options.verticalFlip ?? false,
      rescale: options.rescale ?? null,
      preprocessingFunction: options.preprocessingFunction ?? null,
      dataFormat,
    };
    for (const k of [
      'rotationRange',
      'widthShiftRange',
      'heightShiftRange',
      'shearRange',
      'channelShiftRange',
    ] as const) {
      checkRange(k, this.options[k]);
    }
  }

  /** Keras's `get_random_transform` for an image of the given [h, w, c] size. */
  randomTransform(shape: [number, number, number], rng: SeededRandom): TransformParams {
    const [h, w] = shape;
    const o = this.options;
    const theta = o.rotationRange ? rng.uniform(-o.rotationRange, o.rotationRange) : 0;
    // Keras names the row shift tx (height) and the column shift ty (width).
    let tx = o.heightShiftRange ? rng.uniform(-o.heightShiftRange, o.heightShiftRange) : 0;
    if (o.heightShiftRange < 1) tx *= h;
    let ty = o.widthShiftRange ? rng.uniform(-o.widthShiftRange, o.widthShiftRange) : 0;
    if (o.widthShiftRange < 1) ty *= w;
    const shear = o.shearRange ? rng.uniform(-o.shearRange, o.shearRange) : 0;
    const [z0, z1] = o.zoomRange;
    const [zx, zy] = z0 === 1 && z1 === 1 ? [1, 1] : [rng.uniform(z0, z1), rng.uniform(z0, z1)];
    const flipHorizontal = o.horizontalFlip && rng.next() < 0.5;
    const flipVertical = o.verticalFlip && rng.next() < 0.5;
    const channelShiftIntensity = o.channelShiftRange
      ? rng.uniform(-o.channelShiftRange, o.channelShiftRange)
      : null;
    const brightness = o.brightnessRange
      ? rng.uniform(o.brightnessRange[0], o.brightnessRange[1])
      : null;
    return {
      theta,
      tx,
      ty,
      shear,
      zx,
      zy,
      flipHorizontal,
      flipVertical,
      channelShiftIntensity,
      brightness,
    };
  }

  /** Applies drawn parameters to one channels-last image (Keras's `apply_transform`). */
  applyTransform(
    image: Float32Array,
    shape: [number, number, number],
    p: TransformParams,
  ): Float32Array {
    let x = applyAffine(image, shape, p, {
      fillMode: this.options.fillMode,
      cval: this.options.cval,
    });
    if (p.channelShiftIntensity !== null) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      for (let i = 0; i < x.length; i++)
        x[i] = Math.min(hi, Math.max(lo, (x[i] as number) + p.channelShiftIntensity));
    }
    if (p.flipHorizontal) x = flip(x, shape, true);
    if (p.flipVertical) x = flip(x, shape, false);
    if (p.brightness !== null)
      for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) * p.brightness;
    return x;
  }

  /** Keras's `standardize`: preprocessing function, rescale, samplewise then featurewise. */
  standardize(image: Float32Array, shape: [number, number, number]): Float32Array {
    const o = this.options;
    let x = image;
    if (o.preprocessingFunction) x = o.preprocessingFunction(x, shape);
    if (o.rescale) {
      const r = o.rescale;
      x = x.map((v) => v * r);
    }
    if (o.samplewiseCenter) {
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      x = x.map((v) => v - mean);
    }
    if (o.samplewiseStdNormalization) {
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
      x = x.map((v) => v / (sd + 1e-6));
    }
    const c = shape[2];
    if (o.featurewiseCenter) {
      if (!this.mean)
        throw new Error(
          'This ImageDataGenerator specifies `featurewiseCenter`, but it has not been fit on any training data. Call `.fit(x)` first.',
        );
      const mean = this.mean;
      x = x.map((v, i) => v - (mean[i % c] as number));
    }
    if (o.featurewiseStdNormalization) {
      if (!this.std)
        throw new Error(
          'This ImageDataGenerator specifies `featurewiseStdNormalization`, but it has not been fit on any training data. Call `.fit(x)` first.',
        );
      const std = this.std;
      x = x.map((v, i) => v / ((std[i % c] as number) + 1e-6));
    }
    return x;
  }

  /**
   * Computes the per-channel statistics the featurewise options need (Keras's `fit`), from a
   * batch of images [n, h, w, c] (or [n, c, h, w]).
   */
  fit(x: tf.Tensor | Float32Array, shape?: number[]): void {
    const { data, dims } = toNHWC(x, shape, this.options.dataFormat);
    const [n, h, w, c] = dims;
    const count = n * h * w;
    const mean = new Float32Array(c);
    for (let i = 0; i < data.length; i++)
      mean[i % c] = (mean[i % c] as number) + (data[i] as number);
    for (let k = 0; k < c; k++) mean[k] = (mean[k] as number) / count;
    const std = new Float32Array(c);
    if (this.options.featurewiseStdNormalization) {
      const acc = new Float64Array(c);
      for (let i = 0; i < data.length; i++)
        acc[i % c] = (acc[i % c] as number) + ((data[i] as number) - (mean[i % c] as number)) ** 2;
      for (let k = 0; k < c; k++) std[k] = Math.sqrt((acc[k] as number) / count);
    }
    // Keras computes std on the raw data and then the mean; rescale is applied before both.
    if (this.options.rescale) {
      for (let k = 0; k < c; k++) {
        mean[k] = (mean[k] as number) * this.options.rescale;
        std[k] = (std[k] as number) * Math.abs(this.options.rescale);
      }
    }
    this.mean =
      this.options.featurewiseCenter || this.options.featurewiseStdNormalization ? mean : null;
    this.std = this.options.featurewiseStdNormalization ? std : null;
  }

  /**
   * Batches of augmented images from arrays (Keras's `flow`): x is [n, h, w, c] (or
   * [n, c, h, w]); y, if given, has n rows. Returns a Sequence usable with fit and workers.
   */
  flow(
    x: tf.Tensor | Float32Array,
    y: tf.Tensor | Float32Array | Int32Array | number[] | null = null,
    options: FlowOptions & { xShape?: number[] } = {},
  ): FlowSequence {
    return flow(this, x, y, options);
  }

  /** Batches of augmented images read from one subdirectory per class. */
  flowFromDirectory(directory: string, options: FlowFromDirectoryOptions = {}): DirectoryIterator {
    return new DirectoryIterator(directory, this, options);
  }

  /**
   * Augments and standardises one image [h, w, c] with draws from `rng`, returning a new array
   * in the generator's data format.
   */
  augment(image: Float32Array, shape: [number, number, number], rng: SeededRandom): Float32Array {
    const hwc = this.options.dataFormat === 'channels_first' ? chwToHwc(image, shape) : image;
    const dims: [number, number, number] =
      this.options.dataFormat === 'channels_first' ? [shape[1], shape[2], shape[0]] : shape;
    const params = this.randomTransform(dims, rng);
    const out = this.standardize(this.applyTransform(hwc, dims, params), dims);
    return this.options.dataFormat === 'channels_first' ? hwcToChw(out, dims) : out;
  }
}

function chwToHwc(x: Float32Array, [c, h, w]: [number, number, number]): Float32Array {
  const out = new Float32Array(x.length);
  for (let k = 0; k < c; k++)
    for (let i = 0; i < h * w; i++) out[i * c + k] = x[k * h * w + i] as number;
  return out;
}

function hwcToChw(x: Float32Array, [h, w, c]: [number, number, number]): Float32Array {
  const out = new Float32Array(x.length);
  for (let k = 0; k < c; k++)
    for (let i = 0; i < h * w; i++) out[k * h * w + i] = x[i * c + k] as number;
  return out;
}

/** Reads a batch of images as channels-last float data. */
export function toNHWC(
  x: tf.Tensor | Float32Array,
  shape: number[] | undefined,
  format: DataFormat,
): { data: Float32Array; dims: [number, number, number, number] } {
  const dims = (x instanceof Float32Array ? shape : x.shape) ?? [];
  if (dims.length !== 4) {
    throw new Error(
      `Input to ImageDataGenerator should have rank 4 (a batch of images). Received shape: [${dims}]`,
    );
  }
  let data = x instanceof Float32Array ? x : Float32Array.from(x.dataSync() as ArrayLike<number>);
  let [n, a, b, c] = dims as [number, number, number, number];
  if (format === 'channels_first') {
    const per = a * b * c;
    const out = new Float32Array(data.length);
    for (let i = 0; i < n; i++)
      out.set(chwToHwc(data.subarray(i * per, (i + 1) * per), [a, b, c]), i * per);
    data = out;
    [a, b, c] = [b, c, a];
  }
  return { data, dims: [n, a, b, c] };
}
