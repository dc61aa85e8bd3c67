import * as tf from '@tensorflow/tfjs-core';
import { epochSeed, randomSeed, SeededRandom } from '../random.js';
import { Sequence, type WorkerSpec } from '../sequence.js';
import type { Batch } from '../types.js';
import {
  ImageDataGenerator,
  type ImageDataGeneratorOptions,
  toNHWC,
} from './image-data-generator.js';

export interface FlowOptions {
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
  sampleWeight?: Float32Array | number[];
}

/** Everything a worker needs to rebuild a flow: plain data only. */
export interface FlowState {
  generator: Omit<ImageDataGeneratorOptions, 'preprocessingFunction'>;
  mean: Float32Array | null;
  std: Float32Array | null;
  x: Float32Array;
  /** Batch shape in the generator's data format. */
  shape: [number, number, number, number];
  y: { data: Float32Array | Int32Array; shape: number[] } | null;
  sampleWeight: Float32Array | null;
  batchSize: number;
  shuffle: boolean;
  seed: number;
}

/**
 * `ImageDataGenerator.flow(x, y)`: batches of augmented images. Each batch draws its random
 * transforms from a seed derived from (seed, epoch, batch index), so the output does not depend
 * on which thread prepares it.
 */
export class FlowSequence extends Sequence {
  private readonly gen: ImageDataGenerator;
  private epoch = 0;
  private order: Int32Array;

  /** `generator` is given in the main thread (it may hold a preprocessing function). */
  constructor(
    private readonly state: FlowState & { epoch?: number },
    generator?: ImageDataGenerator,
  ) {
    super();
    this.gen = generator ?? new ImageDataGenerator(state.generator);
    if (!generator) {
      this.gen.mean = state.mean;
      this.gen.std = state.std;
    }
    this.epoch = state.epoch ?? 0;
    this.order = this.makeOrder();
  }

  get length(): number {
    return Math.ceil((this.state.shape[0] as number) / this.state.batchSize);
  }

  getItem(index: number): Batch {
    const { shape, batchSize, x, y, sampleWeight } = this.state;
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(
        `Batch index out of range: expected 0 <= index < ${this.length}. Received: index=${index}`,
      );
    }
    const [n, a, b, c] = shape;
    const per = a * b * c;
    const start = index * batchSize;
    const end = Math.min(start + batchSize, n);
    const rng = new SeededRandom(epochSeed(this.state.seed, this.epoch * 1_000_003 + index));
    const out = new Float32Array((end - start) * per);
    for (let k = start; k < end; k++) {
      const src = this.order[k] as number;
      const img = x.subarray(src * per, (src + 1) * per);
      out.set(this.gen.augment(img, [a, b, c], rng), (k - start) * per);
    }
    const xb = tf.tensor4d(out, [end - start, a, b, c]);
    if (!y) return [xb];
    const ySample = y.shape.slice(1).reduce((p, d) => p * d, 1);
    const yData = new (y.data.constructor as Float32ArrayConstructor)((end - start) * ySample);
    for (let k = start; k < end; k++) {
      const src = this.order[k] as number;
      yData.set(y.data.subarray(src * ySample, (src + 1) * ySample), (k - start) * ySample);
    }
    const yb = tf.tensor(
      yData,
      [end - start, ...y.shape.slice(1)],
      y.data instanceof Int32Array ? 'int32' : 'float32',
    );
    if (!sampleWeight) return [xb, yb];
    const sw = new Float32Array(end - start);
    for (let k = start; k < end; k++)
      sw[k - start] = sampleWeight[this.order[k] as number] as number;
    return [xb, yb, tf.tensor1d(sw)];
  }

  override onEpochEnd(): void {
    this.epoch += 1;
    this.order = this.makeOrder();
  }

  override workerSpec(): WorkerSpec {
    if (this.gen.options.preprocessingFunction) {
      throw new Error(
        'A flow with a preprocessingFunction cannot run in worker threads (functions cannot be sent to a worker). Use workers: 0.',
      );
    }
    const moduleUrl = import.meta.url.endsWith('.ts')
      ? new URL('../../dist/image/flow.js', import.meta.url).href
      : import.meta.url;
    return { moduleUrl, exportName: 'FlowSequence', args: { ...this.state, epoch: this.epoch } };
  }

  private makeOrder(): Int32Array {
    const n = this.state.shape[0];
    if (!this.state.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    return new SeededRandom(epochSeed(this.state.seed, this.epoch)).permutation(n);
  }
}

/** Builds a FlowSequence from user arrays (`ImageDataGenerator.flow`). */
export function flow(
  generator: ImageDataGenerator,
  x: tf.Tensor | Float32Array,
  y: tf.Tensor | Float32Array | Int32Array | number[] | null,
  options: FlowOptions & { xShape?: number[] } = {},
): FlowSequence {
  const { batchSize = 32, shuffle = true, seed = randomSeed(), sampleWeight, xShape } = options;
  const format = generator.options.dataFormat;
  const { dims } = toNHWC(x, xShape, 'channels_last');
  const data = x instanceof Float32Array ? x : Float32Array.from(x.dataSync() as ArrayLike<number>);
  let yState: FlowState['y'] = null;
  if (y !== null && y !== undefined) {
    if (y instanceof Float32Array || y instanceof Int32Array)
      yState = { data: y, shape: [y.length] };
    else if (Array.isArray(y)) yState = { data: Float32Array.from(y), shape: [y.length] };
    else {
      const d = y.dataSync();
      yState = {
        data: y.dtype === 'int32' ? Int32Array.from(d) : Float32Array.from(d),
        shape: [...y.shape],
      };
    }
    if (yState.shape[0] !== dims[0]) {
      throw new Error(
        `\`x\` (images tensor) and \`y\` (labels) should have the same length. Found: x.shape[0]=${dims[0]}, y.shape[0]=${yState.shape[0]}`,
      );
    }
  }
  const channels = format === 'channels_first' ? dims[1] : dims[3];
  if (![1, 3, 4].includes(channels)) {
    console.warn(
      `ImageDataGenerator.flow: x is expected to have 1, 3 or 4 channels on axis ${format === 'channels_first' ? 1 : 3}; it has ${channels}.`,
    );
  }
  const { preprocessingFunction: _fn, ...generatorOptions } = generator.options;
  return new FlowSequence(
    {
      generator: generatorOptions,
      mean: generator.mean,
      std: generator.std,
      x: data,
      shape: dims,
      y: yState,
      sampleWeight: sampleWeight ? Float32Array.from(sampleWeight) : null,
      batchSize,
      shuffle,
      seed,
    },
    generator,
  );
}
