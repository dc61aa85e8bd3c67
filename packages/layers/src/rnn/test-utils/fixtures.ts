import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm/node';

/** The shared fixtures directory, read in place (never copied into the repo). */
export const FIXTURES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../../../shared/fixtures',
);

export function readJson<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(readFileSync(resolve(FIXTURES, relative), 'utf8')) as T;
}

/** Reads float datasets out of an HDF5 file written by Keras. */
export async function readH5Tensors(relative: string, datasets: string[]): Promise<tf.Tensor[]> {
  await h5wasm.ready;
  const file = new h5wasm.File(resolve(FIXTURES, relative), 'r');
  try {
    return datasets.map((path) => {
      const ds = file.get(path);
      if (!(ds instanceof h5wasm.Dataset)) throw new Error(`No dataset "${path}" in ${relative}`);
      const shape = ds.shape ?? [];
      return tf.tensor(Array.from(ds.value as Float32Array), shape, 'float32');
    });
  } finally {
    file.close();
  }
}

/** A `{shape, data}` record of io.json / expected/*.json (data nested or flat). */
export function tensorOf(
  record: { shape: number[]; data: unknown },
  dtype: 'float32' | 'int32' = 'float32',
): tf.Tensor {
  const flat = (record.data as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  return tf.tensor(flat, record.shape, dtype);
}

/** Weights of a TF.js layers model: `{name: tensor}` from model.json's manifest and its .bin files. */
export function readTfjsWeights(relativeDir: string): Record<string, tf.Tensor> {
  const model = readJson<{
    weightsManifest: {
      paths: string[];
      weights: { name: string; shape: number[]; dtype: string }[];
    }[];
  }>(`${relativeDir}/model.json`);
  const out: Record<string, tf.Tensor> = {};
  for (const group of model.weightsManifest) {
    const buffers = group.paths.map((p) => readFileSync(resolve(FIXTURES, relativeDir, p)));
    const bytes = Buffer.concat(buffers);
    let offset = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * size),
      );
      out[w.name] = tf.tensor(Array.from(values), w.shape, 'float32');
      offset += 4 * size;
    }
  }
  return out;
}
