import * as tf from '@tensorflow/tfjs-core';
import type { VariableLike } from '../model/types.js';

/**
 * Minimal objects honouring the layer/model/optimizer contract, so the formats can be tested
 * while the real layers and engine are developed in parallel.
 */
let uid = 0;

export function fakeVar(
  path: string,
  shape: number[],
  dtype: 'float32' | 'int32' = 'float32',
): VariableLike {
  uid += 1;
  const name = path.split('/').pop() ?? path;
  return {
    name,
    path,
    shape,
    dtype,
    value: tf.variable(tf.zeros(shape, dtype), true, `${path}_fake${uid}`, dtype),
  };
}

export class FakeLayer {
  own: VariableLike[];
  constructor(
    public name: string,
    shapes: Record<string, number[]> = {},
  ) {
    this.own = Object.entries(shapes).map(([n, s]) => fakeVar(`${name}/${n}`, s));
  }
  get weights(): VariableLike[] {
    return this.own;
  }
  getConfig() {
    return { name: this.name };
  }
}

export class Dense extends FakeLayer {}
export class InputLayer extends FakeLayer {}
export class Dropout extends FakeLayer {}
export class BatchNormalization extends FakeLayer {}
export class LSTMCell extends FakeLayer {}

export class LSTM extends FakeLayer {
  cell: LSTMCell;
  constructor(name: string, input: number, units: number) {
    super(name);
    this.cell = new LSTMCell('lstm_cell', {
      kernel: [input, 4 * units],
      recurrent_kernel: [units, 4 * units],
      bias: [4 * units],
    });
  }
  override get weights(): VariableLike[] {
    return [...this.own, ...this.cell.weights];
  }
}

export class FakeOptimizer {
  variables: VariableLike[];
  constructor(public name: string) {
    this.variables = [
      fakeVar(`${name}/iteration`, [], 'int32'),
      fakeVar(`${name}/learning_rate`, []),
    ];
  }
  applyGradients() {}
}

export class Functional extends FakeLayer {
  optimizer: FakeOptimizer | null = null;
  constructor(
    name: string,
    public layers: FakeLayer[],
  ) {
    super(name);
  }
  override get weights(): VariableLike[] {
    return this.layers.flatMap((l) => l.weights);
  }
  getLayer(name: string) {
    return this.layers.find((l) => l.name === name);
  }
}

export class Sequential extends Functional {}

/** Fills every variable with distinct values so a load is visible. */
export function fillDistinct(vars: readonly VariableLike[], start = 1): void {
  let next = start;
  for (const v of vars) {
    const size = v.value.size;
    const values = Array.from({ length: size }, () => next++ / 100);
    v.value.assign(
      tf.tensor(values, v.value.shape, v.value.dtype === 'int32' ? 'int32' : 'float32'),
    );
  }
}
