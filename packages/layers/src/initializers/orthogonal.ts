import { seededRandom } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import type { Config, DType } from '../engine/types.js';
import { RandomInitializer } from './random.js';

/**
 * A (semi-)orthogonal matrix times `gain`, from the QR decomposition of a normal matrix with the
 * signs fixed so R has a positive diagonal (Keras's recipe). Shapes of rank > 2 are treated as
 * `[prod(shape[:-1]), shape[-1]]`.
 */
export class Orthogonal extends RandomInitializer {
  static override className = 'Orthogonal';
  readonly gain: number;

  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super(args);
    this.gain = args.gain ?? 1;
  }

  call(shape: number[], dtype?: DType): tf.Tensor {
    if (shape.length < 2) {
      throw new Error(
        `The Orthogonal initializer needs a shape of rank >= 2. Received: shape=[${shape.join(', ')}]`,
      );
    }
    const cols = shape[shape.length - 1] as number;
    const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
    const tall = Math.max(rows, cols);
    const wide = Math.min(rows, cols);
    // Drawn on the host: the QR runs there too, and a device read would be synchronous, which
    // the WebGPU backend cannot do in Node (building an LSTM would fail there).
    const q = gramSchmidt(hostNormal(tall * wide, this.nextSeed()), tall, wide);
    // q is tall x wide with orthonormal columns; a wide target takes its transpose.
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = rows >= cols ? q[r * wide + c] : q[c * wide + r];
        out[r * cols + c] = this.gain * (v ?? 0);
      }
    }
    return this.finish(tf.tensor(out, shape, 'float32'), dtype);
  }

  override getConfig(): Config {
    return { seed: this.seed, gain: this.gain };
  }
}

/** `n` standard normal values from a seeded generator (Box-Muller). */
function hostNormal(n: number, seed: number): Float64Array {
  const uniform = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    // 1 - u is in (0, 1]: the logarithm needs a positive argument.
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const theta = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/**
 * Modified Gram-Schmidt on the columns of a row-major `rows x cols` matrix (rows >= cols). Its Q
 * is the one of the QR decomposition whose R has a positive diagonal.
 */
function gramSchmidt(a: Float64Array, rows: number, cols: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < cols; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < rows; i++)
        dot += (q[i * cols + k] as number) * (q[i * cols + j] as number);
      for (let i = 0; i < rows; i++)
        q[i * cols + j] = (q[i * cols + j] as number) - dot * (q[i * cols + k] as number);
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += (q[i * cols + j] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < rows; i++) q[i * cols + j] = (q[i * cols + j] as number) / norm;
  }
  return q;
}
