import type { Batch, Structure } from './types.js';

function isTensorLike(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (ArrayBuffer.isView(v)) return true;
  if (Array.isArray(v)) return true;
  return typeof v === 'object' && 'shape' in v && 'dtype' in v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (typeof v === 'object' && 'shape' in v)
    return `a Tensor of shape [${(v as { shape: number[] }).shape}]`;
  if (typeof v === 'object') return `an object with keys {${Object.keys(v).join(', ')}}`;
  return `${typeof v} ${String(v)}`;
}

function isStructure(v: unknown): v is Structure {
  if (isTensorLike(v)) return true;
  if (typeof v === 'object' && v !== null) {
    const values = Object.values(v);
    return values.length > 0 && values.every(isTensorLike);
  }
  return false;
}

const EXPECTED =
  'a batch [x, y] or [x, y, sampleWeight] (for predict: [x] or x), where x and y are each a ' +
  'tensor / typed array / nested array, a list of them, or a dict of them by input or output name';

/**
 * Checks one element of a Sequence or generator; the error names where it came from (`source`
 * and `index`) and what was expected, as Keras's data adapters do.
 */
export function validateBatch(value: unknown, where: { source: string; index: number }): Batch {
  const prefix = `${where.source} returned an invalid element at index ${where.index}`;
  if (!Array.isArray(value)) {
    throw new TypeError(`${prefix}: expected ${EXPECTED}. Received: ${describe(value)}`);
  }
  if (value.length < 1 || value.length > 3) {
    throw new TypeError(
      `${prefix}: expected ${EXPECTED}. Received: an array of length ${value.length}`,
    );
  }
  value.forEach((part, i) => {
    // A trailing undefined sample weight is Keras's `(x, y, None)`.
    if (i === 2 && (part === undefined || part === null)) return;
    if (!isStructure(part)) {
      const name = ['x', 'y', 'sampleWeight'][i];
      throw new TypeError(`${prefix}: ${name} is ${describe(part)}; expected ${EXPECTED}`);
    }
  });
  if (value.length === 3 && (value[2] === undefined || value[2] === null)) {
    return [value[0], value[1]] as Batch;
  }
  return value as Batch;
}
