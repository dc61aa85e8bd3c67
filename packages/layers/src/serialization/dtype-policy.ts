import { type ConfigValue, checkDType, type DType } from '../engine/types.js';

/** A layer's dtype policy: the Keras name (for round trips) and the dtype computations use. */
export interface DTypePolicy {
  name: string;
  computeDtype: DType;
  variableDtype: DType;
}

/**
 * Reads what Keras writes for `dtype`: a name (`'float32'`, Keras 2), a `DTypePolicy` dict
 * (Keras 3) or a mixed policy (`'mixed_float16'`, which computes in float32 here: tfjs has no
 * float16 kernels).
 */
export function parseDTypePolicy(value: unknown, fallback: DType = 'float32'): DTypePolicy {
  if (value === undefined || value === null) {
    return { name: fallback, computeDtype: fallback, variableDtype: fallback };
  }
  let name: unknown = value;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const dict = value as { config?: { name?: unknown }; name?: unknown };
    name = dict.config?.name ?? dict.name;
  }
  if (typeof name === 'string' && name.startsWith('mixed_')) {
    return { name, computeDtype: 'float32', variableDtype: 'float32' };
  }
  const dtype = checkDType(name, 'dtype');
  return { name: dtype, computeDtype: dtype, variableDtype: dtype };
}

/** Keras 3's serialized policy: `{module: 'keras', class_name: 'DTypePolicy', ...}`. */
export function serializeDTypePolicy(policy: DTypePolicy): ConfigValue {
  return {
    module: 'keras',
    class_name: 'DTypePolicy',
    config: { name: policy.name },
    registered_name: null,
  };
}
