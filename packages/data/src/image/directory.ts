import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { epochSeed, randomSeed, SeededRandom } from '../random.js';
import { Sequence } from '../sequence.js';
import type { Batch } from '../types.js';
import { type ColorMode, decodeImage, resizeNearest } from './decode.js';
import type { ImageDataGenerator } from './image-data-generator.js';

export type ClassMode = 'categorical' | 'binary' | 'sparse' | 'input' | null;

export interface FlowFromDirectoryOptions {
  targetSize?: [number, number];
  colorMode?: ColorMode;
  classes?: string[];
  classMode?: ClassMode;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  /** Print Keras's "Found N images belonging to K classes." (default true). */
  verbose?: boolean;
}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

/**
 * `ImageDataGenerator.flowFromDirectory`: one subdirectory per class (sorted by name, as Keras
 * does), PNG and JPEG files decoded, resized to `targetSize` and augmented.
 */
export class DirectoryIterator extends Sequence {
  readonly filenames: string[] = [];
  readonly labels: number[] = [];
  readonly classIndices: Record<string, number> = {};
  private readonly targetSize: [number, number];
  private readonly colorMode: ColorMode;
  private readonly classMode: ClassMode;
  private readonly batchSize: number;
  private readonly shuffle: boolean;
  private readonly seed: number;
  private epoch = 0;
  private order: Int32Array;

  constructor(
    readonly directory: string,
    private readonly generator: ImageDataGenerator,
    options: FlowFromDirectoryOptions = {},
  ) {
    super();
    const {
      targetSize = [256, 256],
      colorMode = 'rgb',
      classMode = 'categorical',
      batchSize = 32,
      shuffle = true,
      seed = randomSeed(),
      verbose = true,
    } = options;
    if (!['grayscale', 'rgb', 'rgba'].includes(colorMode)) {
      throw new Error(`Invalid color mode: ${colorMode}; expected "rgb", "rgba", or "grayscale".`);
    }
    if (!['categorical', 'binary', 'sparse', 'input', null].includes(classMode)) {
      throw new Error(
        `Invalid class_mode: ${String(classMode)}; expected one of "categorical", "binary", "sparse", "input" or null.`,
      );
    }
    let classes = options.classes;
    if (!classes) {
      classes = readdirSync(directory)
        .filter((d) => statSync(path.join(directory, d)).isDirectory())
        .sort();
    }
    classes.forEach((c, i) => {
      this.classIndices[c] = i;
    });
    for (const cls of classes) {
      const dir = path.join(directory, cls);
      for (const file of readdirSync(dir).sort()) {
        if (!IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase())) continue;
        this.filenames.push(path.join(cls, file));
        this.labels.push(this.classIndices[cls] as number);
      }
    }
    if (verbose)
      console.log(`Found ${this.filenames.length} images belonging to ${classes.length} classes.`);
    this.targetSize = targetSize;
    this.colorMode = colorMode;
    this.classMode = classMode;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.order = this.makeOrder();
  }

  get length(): number {
    return Math.ceil(this.filenames.length / this.batchSize);
  }

  get numClasses(): number {
    return Object.keys(this.classIndices).length;
  }

  getItem(index: number): Batch {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(
        `Batch index out of range: expected 0 <= index < ${this.length}. Received: index=${index}`,
      );
    }
    const [h, w] = this.targetSize;
    const c = this.colorMode === 'grayscale' ? 1 : this.colorMode === 'rgba' ? 4 : 3;
    const start = index * this.batchSize;
    const end = Math.min(start + this.batchSize, this.filenames.length);
    const per = h * w * c;
    const out = new Float32Array((end - start) * per);
    const raw = this.classMode === 'input' ? new Float32Array(out.length) : null;
    const rng = new SeededRandom(epochSeed(this.seed, this.epoch * 1_000_003 + index));
    for (let k = start; k < end; k++) {
      const file = path.join(this.directory, this.filenames[this.order[k] as number] as string);
      let img: ReturnType<typeof decodeImage>;
      try {
        img = decodeImage(readFileSync(file), this.colorMode);
      } catch (err) {
        throw new Error(`Could not decode image ${file}: ${(err as Error).message}`);
      }
      const resized = resizeNearest(img.data, [img.height, img.width, c], [h, w]);
      raw?.set(resized, (k - start) * per);
      out.set(this.generator.augment(resized, [h, w, c], rng), (k - start) * per);
    }
    const n = end - start;
    const x = tf.tensor4d(out, [n, h, w, c]);
    const labels = Array.from(
      { length: n },
      (_, i) => this.labels[this.order[start + i] as number] as number,
    );
    switch (this.classMode) {
      case 'categorical': {
        const idx = tf.tensor1d(labels, 'int32');
        const y = tf.oneHot(idx, this.numClasses);
        idx.dispose();
        const yf = tf.cast(y, 'float32');
        y.dispose();
        return [x, yf];
      }
      case 'binary':
        return [x, tf.tensor1d(labels, 'float32')];
      case 'sparse':
        return [x, tf.tensor1d(labels, 'float32')];
      case 'input':
        return [x, tf.tensor4d(raw as Float32Array, [n, h, w, c])];
      default:
        return [x];
    }
  }

  override onEpochEnd(): void {
    this.epoch += 1;
    this.order = this.makeOrder();
  }

  private makeOrder(): Int32Array {
    const n = this.filenames.length;
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    return new SeededRandom(epochSeed(this.seed, this.epoch)).permutation(n);
  }
}
