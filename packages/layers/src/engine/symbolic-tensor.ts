import type { Layer } from './layer.js';
import type { DType, Shape } from './types.js';

/** Where a symbolic tensor came from: the layer, which of its calls, which of its outputs. */
export interface KerasHistory {
  layer: Layer;
  nodeIndex: number;
  tensorIndex: number;
}

let nextId = 0;

/**
 * A placeholder for a tensor in a functional graph (Keras's `KerasTensor`): it has a shape and a
 * dtype but no values. Layers called on symbolic tensors record a `Node` and return new ones.
 */
export class SymbolicTensor {
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly name: string;
  /** Set by `Layer.apply` when this tensor is one of a layer call's outputs. */
  kerasHistory: KerasHistory | null;

  constructor(args: {
    shape: readonly (number | null)[];
    dtype: DType;
    name?: string;
    kerasHistory?: KerasHistory | null;
  }) {
    this.id = nextId++;
    this.shape = [...args.shape];
    this.dtype = args.dtype;
    this.name = args.name ?? `keras_tensor_${this.id}`;
    this.kerasHistory = args.kerasHistory ?? null;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    const dims = this.shape.map((d) => (d === null ? 'None' : String(d))).join(', ');
    return `<SymbolicTensor shape=(${dims}), dtype=${this.dtype}, name=${this.name}>`;
  }
}

/** Type guard for symbolic tensors. */
export function isSymbolicTensor(x: unknown): x is SymbolicTensor {
  return x instanceof SymbolicTensor;
}
