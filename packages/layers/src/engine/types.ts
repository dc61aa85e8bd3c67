import type { Tensor } from '@tensorflow/tfjs-core';

/** A Keras shape: `null` marks an unknown dimension (usually the batch). */
export type Shape = (number | null)[];

/** Keras dtype names; tfjs stores them as float32, int32, bool, string or complex64. */
export type DType =
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'bool'
  | 'string'
  | 'complex64';

/** Keyword arguments of `call`, after Keras's `call(inputs, training=None, mask=None, **kwargs)`. */
export interface CallArgs {
  training?: boolean;
  mask?: Tensor | (Tensor | null)[] | null;
  [k: string]: unknown;
}

/** A JSON-compatible value, as found in Keras configs. */
export type ConfigValue =
  | null
  | boolean
  | number
  | string
  | ConfigValue[]
  | { [key: string]: ConfigValue };

/** A Keras `get_config()` dict. */
export type Config = { [key: string]: ConfigValue };

const TF_DTYPE: Record<DType, 'float32' | 'int32' | 'bool' | 'string' | 'complex64'> = {
  float32: 'float32',
  float16: 'float32',
  bfloat16: 'float32',
  float64: 'float32',
  int8: 'int32',
  int16: 'int32',
  int32: 'int32',
  int64: 'int32',
  uint8: 'int32',
  uint16: 'int32',
  uint32: 'int32',
  bool: 'bool',
  string: 'string',
  complex64: 'complex64',
};

/** Whether `d` is one of the dtype names Keras knows. */
export function isDType(d: unknown): d is DType {
  return typeof d === 'string' && Object.hasOwn(TF_DTYPE, d);
}

/** The tfjs storage dtype for a Keras dtype (tfjs has no float16/float64/int64 storage). */
export function toTfDtype(d: DType): 'float32' | 'int32' | 'bool' | 'string' | 'complex64' {
  return TF_DTYPE[d];
}

/** Checks a user-supplied dtype name and echoes it on failure. */
export function checkDType(d: unknown, what = 'dtype'): DType {
  if (!isDType(d)) {
    throw new Error(
      `Received an invalid value for "${what}", expected one of ${Object.keys(TF_DTYPE).join(', ')}. ` +
        `Received: ${what}=${JSON.stringify(d)}`,
    );
  }
  return d;
}

/** Formats a shape the way Keras prints tuples: `(None, 3)`. */
export function formatShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}
