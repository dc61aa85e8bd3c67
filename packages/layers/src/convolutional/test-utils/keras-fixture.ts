/**
 * Reads a Keras 3 fixture from /work/shared/fixtures/keras3 (written by Python Keras 3.15.1):
 * io.json for inputs and per-layer intermediate outputs, model.h5 for the weights
 * (`model_weights/<layer>/<layer>/<var>`). Test-only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import h5wasm from 'h5wasm/node';

const fixturesDir = fileURLToPath(
  new URL('../../../../../../shared/fixtures/keras3/', import.meta.url),
);

interface TensorJson {
  shape: number[];
  dtype: string;
  data: unknown;
}

export interface KerasFixture {
  io: {
    inputs: Record<string, TensorJson>;
    intermediates: Record<string, unknown>;
    input_names: string[];
  };
  /** The weight `variable` of `layer` as a tensor (float32). */
  weight(layer: string, variable: string): tf.Tensor;
  /** The output of layer `name` recorded by Keras for the fixture input. */
  intermediate(name: string): tf.Tensor;
  /** The model input `name` as a tensor. */
  input(name: string): tf.Tensor;
  close(): void;
}

export async function loadKerasFixture(name: string): Promise<KerasFixture> {
  const dir = `${fixturesDir}${name}/`;
  const io = JSON.parse(readFileSync(`${dir}io.json`, 'utf8')) as KerasFixture['io'];
  await h5wasm.ready;
  const file = new h5wasm.File(`${dir}model.h5`, 'r');
  return {
    io,
    weight(layer, variable) {
      const ds = file.get(`model_weights/${layer}/${layer}/${variable}`);
      if (!(ds instanceof h5wasm.Dataset)) {
        throw new Error(`fixture ${name}: no dataset model_weights/${layer}/${layer}/${variable}`);
      }
      return tf.tensor(Array.from(ds.value as Float32Array), ds.shape ?? []);
    },
    intermediate(layerName) {
      const spec = io.intermediates[layerName] as TensorJson | undefined;
      if (!spec) throw new Error(`fixture ${name}: no intermediate output for ${layerName}`);
      return tf.tensor(spec.data as number[], spec.shape);
    },
    input(inputName) {
      const spec = io.inputs[inputName];
      if (!spec) throw new Error(`fixture ${name}: no input ${inputName}`);
      return tf.tensor(spec.data as number[], spec.shape, spec.dtype as 'float32' | 'int32');
    },
    close() {
      file.close();
    },
  };
}
