/** Keras's `to_snake_case`: `'RMSprop'` -> `'rm_sprop'`, `'MeanSquaredError'` -> `'mean_squared_error'`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** `'mean_squared_error'` / `'beta_1'` -> `'meanSquaredError'` / `'beta1'`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `'meanSquaredError'` -> `'mean_squared_error'` (already snake names pass through). */
export function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const uids = new Map<string, number>();

/** Keras's `auto_name`: snake-cased prefix, suffixed `_1`, `_2`, ... after the first use. */
export function autoName(prefix: string): string {
  const base = toSnakeCase(prefix);
  const n = uids.get(base) ?? 0;
  uids.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}
