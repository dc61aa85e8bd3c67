import { formatShape } from '../engine/types.js';

/** Keras's `canonicalize_axis`: a negative axis counts from the end; out of range is an error. */
export function canonicalizeAxis(axis: number, rank: number, layerName: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(
      `Axis ${axis} is out of bounds for an input of rank ${rank} in layer "${layerName}". Received: axis=${axis}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted, de-duplicated positive axes; duplicates are an error as in Keras. */
export function canonicalizeAxes(
  axes: readonly number[],
  rank: number,
  layerName: string,
): number[] {
  const out = axes.map((a) => canonicalizeAxis(a, rank, layerName));
  if (new Set(out).size !== out.length) {
    throw new Error(
      `Duplicate axes are not allowed in layer "${layerName}". Received: axis=${formatShape(axes)}`,
    );
  }
  return out.sort((a, b) => a - b);
}

/** An `axis` argument (int or list of ints) as a list, checked. */
export function axisList(value: unknown, name = 'axis'): number[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((a) => typeof a === 'number' && Number.isInteger(a))) {
    throw new Error(
      `Expected an int or a list/tuple of ints for the argument '${name}'. Received: ${name}=${JSON.stringify(value)}`,
    );
  }
  return list as number[];
}

/** The shape that broadcasts a per-axis parameter (sizes on `axes`, 1 elsewhere). */
export function broadcastShape(inputShape: readonly number[], axes: readonly number[]): number[] {
  return inputShape.map((d, i) => (axes.includes(i) ? d : 1));
}
