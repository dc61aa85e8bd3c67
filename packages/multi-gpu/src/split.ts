/**
 * Keras 2's `get_slice`: a batch of `batchSize` rows split in `parts` slices of
 * `floor(batchSize / parts)` rows, the last one taking the remainder.
 */
export function sliceBounds(batchSize: number, parts: number): { start: number; size: number }[] {
  if (!Number.isInteger(parts) || parts < 1)
    throw new Error(`Expected parts >= 1. Received: parts=${parts}`);
  const step = Math.floor(batchSize / parts);
  return Array.from({ length: parts }, (_, i) => ({
    start: step * i,
    size: i === parts - 1 ? batchSize - step * i : step,
  }));
}
