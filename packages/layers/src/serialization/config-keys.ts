import type { Config } from '../engine/types.js';

/** `kernel_initializer` -> `kernelInitializer`. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `kernelInitializer` -> `kernel_initializer`. */
export function camelToSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A Keras config dict -> constructor options: top-level keys in camelCase (nested serialized
 * objects are left alone; `initializers.get` and friends read them), and the Keras 3
 * `batch_shape` / Keras 2 `batch_input_shape` both become `batchInputShape`.
 */
export function configToArgs(config: Config): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'batch_shape' || key === 'batch_input_shape') args.batchInputShape = value;
    else args[snakeToCamel(key)] = value;
  }
  return args;
}
