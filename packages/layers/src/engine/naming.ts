const counters = new Map<string, number>();

/** Keras's `to_snake_case`: `Conv2D` -> `conv2d`, `BatchNormalization` -> `batch_normalization`. */
export function toSnakeCase(name: string): string {
  const cleaned = name.replace(/\W+/g, '');
  const spaced = cleaned.replace(/(.)([A-Z][a-z]+)/g, '$1_$2');
  return spaced.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `dense`, then `dense_1`, `dense_2`, ... per prefix, like Keras's `uniquify`. */
export function uniqueName(prefix: string): string {
  const count = counters.get(prefix) ?? 0;
  counters.set(prefix, count + 1);
  return count === 0 ? prefix : `${prefix}_${count}`;
}

/** Forgets the per-prefix counters (Keras does this in `clear_session`). */
export function resetUniqueNames(): void {
  counters.clear();
}
