import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm, { type Dataset, type Group } from 'h5wasm/node';

const here = dirname(fileURLToPath(import.meta.url));
/** /work/shared/fixtures/keras3, read in place (never copied into the repo). */
export const FIXTURES = join(here, '../../../../../shared/fixtures/keras3');

export interface FixtureIO {
  input_names: string[];
  output_names: string[];
  inputs: Record<string, { shape: number[]; dtype: string; data: unknown }>;
  outputs: Record<string, { shape: number[]; dtype: string; data: unknown }>;
  train?: {
    x: unknown;
    y: unknown;
    steps: Record<string, number>[];
    compile_config: { loss: unknown };
  };
}

export function readIO(name: string): FixtureIO {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'io.json'), 'utf8')) as FixtureIO;
}

/**
 * Reads the weights of every layer from the legacy model.h5 (`model_weights/<layer>`, in the
 * order of the group's `weight_names` attribute).
 */
export async function readH5Weights(name: string): Promise<Map<string, tf.Tensor[]>> {
  await h5wasm.ready;
  const file = new h5wasm.File(join(FIXTURES, name, 'model.h5'), 'r');
  try {
    const root = file.get('model_weights') as Group;
    const out = new Map<string, tf.Tensor[]>();
    for (const layer of root.keys()) {
      const group = root.get(layer) as Group;
      // An empty weight_names attribute reads back as an empty numeric array.
      const names = group.attrs.weight_names?.value ?? [];
      const list = typeof names === 'string' ? [names] : Array.from(names as ArrayLike<unknown>);
      const tensors = list
        .filter((n): n is string => typeof n === 'string' && n !== '')
        .map((n) => {
          const ds = group.get(n) as Dataset;
          return tf.tensor(Array.from(ds.value as Float32Array), ds.shape as number[], 'float32');
        });
      out.set(layer, tensors);
    }
    return out;
  } finally {
    file.close();
  }
}

/** Converts fixture data (nested lists) to a float32 or int32 tensor. */
export function fixtureTensor(entry: { data: unknown; dtype?: string }): tf.Tensor {
  const dtype = entry.dtype?.startsWith('int') ? 'int32' : 'float32';
  return tf.tensor(entry.data as number[], undefined, dtype);
}
