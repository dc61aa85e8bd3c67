/**
 * Synthetic images with a known answer: a bright 6x6 square on a dim noisy 28x28 background.
 * The two targets are the square's centre row and centre column, scaled to [0, 1], so the two
 * heads of the model learn two different regressions from one shared trunk.
 */
import * as tf from '@tensorflow/tfjs-core';

export const IMAGE_SIZE = 28;
const SQUARE = 6;

/** A small seeded generator (mulberry32) so every run draws the same images. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SquareBatch {
  /** `[n, 28, 28, 1]` pixels. */
  x: Float32Array;
  /** Centre row of each square, in [0, 1]. */
  row: Float32Array;
  /** Centre column of each square, in [0, 1]. */
  col: Float32Array;
}

/** Draws `n` images; the centre of a square lies in [3, 25), stored divided by 28. */
export function drawSquares(n: number, random: () => number): SquareBatch {
  const px = IMAGE_SIZE * IMAGE_SIZE;
  const x = new Float32Array(n * px);
  const row = new Float32Array(n);
  const col = new Float32Array(n);
  const span = IMAGE_SIZE - SQUARE + 1;
  for (let i = 0; i < n; i++) {
    const top = Math.floor(random() * span);
    const left = Math.floor(random() * span);
    for (let p = 0; p < px; p++) x[i * px + p] = 0.1 * random();
    for (let r = top; r < top + SQUARE; r++) {
      for (let c = left; c < left + SQUARE; c++) x[i * px + r * IMAGE_SIZE + c] = 1;
    }
    row[i] = (top + SQUARE / 2) / IMAGE_SIZE;
    col[i] = (left + SQUARE / 2) / IMAGE_SIZE;
  }
  return { x, row, col };
}

/** The batch as tensors: `[x, { output1: row, output2: col }]`, Keras 2's dict targets. */
export function toTensors(
  b: SquareBatch,
): [tf.Tensor4D, { output1: tf.Tensor2D; output2: tf.Tensor2D }] {
  const n = b.row.length;
  return [
    tf.tensor4d(b.x, [n, IMAGE_SIZE, IMAGE_SIZE, 1]),
    { output1: tf.tensor2d(b.row, [n, 1]), output2: tf.tensor2d(b.col, [n, 1]) },
  ];
}

/**
 * Keras 2's `fit_generator` input: an endless generator of `(X_batch, {'output1': y1,
 * 'output2': y2})`. The training loop disposes the tensors each batch creates after its step.
 */
export function* squareBatches(
  batchSize: number,
  seed: number,
): Generator<[tf.Tensor4D, { output1: tf.Tensor2D; output2: tf.Tensor2D }]> {
  const random = mulberry32(seed);
  while (true) yield toTensors(drawSquares(batchSize, random));
}
