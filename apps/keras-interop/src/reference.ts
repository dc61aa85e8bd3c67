/**
 * What Python Keras recorded next to a fixture (`io.json`, see shared/fixtures/keras3/README.md):
 * its inputs and `model.predict` outputs, and for trainable fixtures three `train_on_batch`
 * steps with their losses and the outputs after them. When the file is there, the app checks
 * keras-ts against these numbers; for any other model it draws inputs itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

type Nested = number | Nested[];
interface ArraySpec {
  shape: number[];
  dtype: string;
  data: Nested;
}

export interface KerasReference {
  inputNames: string[];
  outputNames: string[];
  inputs: Record<string, ArraySpec>;
  outputs: Record<string, ArraySpec>;
  train?: {
    optimizer: { class: string; config: { learning_rate: number } };
    compile_config: { loss: unknown };
    x: Record<string, ArraySpec>;
    /** One array for a single-output model, else a dict by output name. */
    y: ArraySpec | Record<string, ArraySpec>;
    loss_values: number[];
    outputs_after_training: Record<string, ArraySpec>;
  };
}

/** The `io.json` beside the model file, if there is one. */
export function readReference(modelPath: string): KerasReference | null {
  const file = join(dirname(modelPath), 'io.json');
  if (!existsSync(file)) return null;
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  return {
    inputNames: raw.input_names,
    outputNames: raw.output_names,
    inputs: raw.inputs,
    outputs: raw.outputs,
    train: raw.train ?? undefined,
  };
}

export function toTensor(spec: ArraySpec): tf.Tensor {
  const dtype = spec.dtype.startsWith('int') ? 'int32' : 'float32';
  return tf.tensor(spec.data as number[], spec.shape, dtype);
}

function isArraySpec(v: unknown): v is ArraySpec {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;
}

/**
 * A dict of arrays as tensors in `names` order (the model's input or output order); a lone array
 * stands for the only name.
 */
export function tensorsInOrder(
  dict: ArraySpec | Record<string, ArraySpec>,
  names: string[],
): tf.Tensor[] {
  if (isArraySpec(dict)) {
    if (names.length !== 1) {
      throw new Error(`io.json holds one array where ${names.length} were expected: ${names}`);
    }
    return [toTensor(dict)];
  }
  return names.map((n) => {
    const spec = dict[n];
    if (!spec) throw new Error(`io.json has no array named "${n}". Received: ${Object.keys(dict)}`);
    return toTensor(spec);
  });
}
