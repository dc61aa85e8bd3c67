import { type DType, formatShape, type Shape } from './types.js';

/** Constraints a layer puts on its inputs (Keras's `InputSpec`), checked on every call. */
export class InputSpec {
  dtype: DType | null;
  shape: Shape | null;
  ndim: number | null;
  maxNdim: number | null;
  minNdim: number | null;
  /** Axis (negative counts from the end) -> required size. */
  axes: Record<number, number> | null;
  allowLastAxisSqueeze: boolean;
  name: string | null;
  optional: boolean;

  constructor(
    args: {
      dtype?: DType | null;
      shape?: Shape | null;
      ndim?: number | null;
      maxNdim?: number | null;
      minNdim?: number | null;
      axes?: Record<number, number> | null;
      allowLastAxisSqueeze?: boolean;
      name?: string | null;
      optional?: boolean;
    } = {},
  ) {
    this.dtype = args.dtype ?? null;
    this.shape = args.shape ? [...args.shape] : null;
    this.ndim = this.shape ? this.shape.length : (args.ndim ?? null);
    this.maxNdim = args.maxNdim ?? null;
    this.minNdim = args.minNdim ?? null;
    this.axes = args.axes ?? null;
    this.allowLastAxisSqueeze = args.allowLastAxisSqueeze ?? false;
    this.name = args.name ?? null;
    this.optional = args.optional ?? false;
  }
}

/** The shape and dtype of one input, symbolic or concrete. */
export interface InputDescription {
  shape: readonly (number | null)[];
  dtype: string;
}

/**
 * Keras's `assert_input_compatibility`: throws an error naming the layer, what the spec expects
 * and what came, for rank (ndim, minNdim, maxNdim), fixed axes and full shapes.
 */
export function assertInputCompatibility(
  layerName: string,
  spec: InputSpec | (InputSpec | null)[] | null,
  inputs: InputDescription[],
): void {
  if (spec === null) return;
  const specs = Array.isArray(spec) ? spec : [spec];
  if (specs.length === 0) return;
  if (specs.length !== inputs.length && !specs.some((s) => s?.optional)) {
    throw new Error(
      `Layer "${layerName}" expects ${specs.length} input(s), but it received ${inputs.length} input tensors.`,
    );
  }
  specs.forEach((s, i) => {
    const x = inputs[i];
    if (s === null || x === undefined) return;
    checkOne(layerName, s, i, x);
  });
}

function checkOne(layerName: string, s: InputSpec, index: number, x: InputDescription): void {
  const shape = x.shape;
  const rank = shape.length;
  const where = `Input ${index} of layer "${layerName}" is incompatible with the layer`;
  if (s.ndim !== null && !s.allowLastAxisSqueeze && rank !== s.ndim) {
    throw new Error(
      `${where}: expected ndim=${s.ndim}, found ndim=${rank}. Full shape received: ${formatShape(shape)}`,
    );
  }
  if (s.ndim !== null && s.allowLastAxisSqueeze) {
    const squeezed = rank > 0 && shape[rank - 1] === 1 ? rank - 1 : rank;
    if (rank !== s.ndim && squeezed !== s.ndim) {
      throw new Error(
        `${where}: expected ndim=${s.ndim}, found ndim=${rank}. Full shape received: ${formatShape(shape)}`,
      );
    }
  }
  if (s.maxNdim !== null && rank > s.maxNdim) {
    throw new Error(
      `${where}: expected max_ndim=${s.maxNdim}, found ndim=${rank}. Full shape received: ${formatShape(shape)}`,
    );
  }
  if (s.minNdim !== null && rank < s.minNdim) {
    throw new Error(
      `${where}: expected min_ndim=${s.minNdim}, found ndim=${rank}. Full shape received: ${formatShape(shape)}`,
    );
  }
  if (s.dtype !== null && x.dtype !== s.dtype) {
    throw new Error(`${where}: expected dtype=${s.dtype}, found dtype=${x.dtype}`);
  }
  if (s.axes !== null) {
    for (const [key, value] of Object.entries(s.axes)) {
      const axis = Number(key);
      const actual = shape[axis < 0 ? rank + axis : axis];
      if (actual !== undefined && actual !== null && actual !== value) {
        throw new Error(
          `${where}: expected axis ${axis} of input shape to have value ${value}, ` +
            `but received input with shape ${formatShape(shape)}`,
        );
      }
    }
  }
  if (s.shape !== null) {
    s.shape.forEach((expected, i) => {
      const actual = shape[i];
      if (expected !== null && actual !== null && actual !== undefined && actual !== expected) {
        throw new Error(
          `${where}: expected shape=${formatShape(s.shape ?? [])}, found shape=${formatShape(shape)}`,
        );
      }
    });
  }
}
