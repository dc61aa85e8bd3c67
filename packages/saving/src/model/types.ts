import type * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of `@keras-ts/layers` and `@keras-ts/engine` objects that saving relies on
 * (docs/design/package-contracts.md). Typed structurally so the formats stay testable on their
 * own and any object honouring the contract can be saved.
 */
export interface VariableLike {
  readonly name: string;
  readonly path?: string;
  readonly shape?: readonly number[];
  readonly dtype?: string;
  readonly value: tf.Variable;
}

export interface LayerLike {
  name: string;
  readonly weights: readonly VariableLike[];
  readonly trainableWeights?: readonly VariableLike[];
  readonly nonTrainableWeights?: readonly VariableLike[];
  getConfig?(): unknown;
}

export interface OptimizerLike {
  readonly name?: string;
  readonly variables: readonly VariableLike[];
  build?(vars: VariableLike[]): void;
  getConfig?(): unknown;
}

export interface ModelLike extends LayerLike {
  readonly layers: readonly LayerLike[];
  optimizer?: OptimizerLike | null;
}

export function isLayerLike(v: unknown): v is LayerLike {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.name === 'string' && typeof o.getConfig === 'function' && Array.isArray(o.weights)
  );
}

export function isOptimizerLike(v: unknown): v is OptimizerLike {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o.variables) && typeof o.applyGradients === 'function';
}

export function isModelLike(v: unknown): v is ModelLike {
  return isLayerLike(v) && Array.isArray((v as { layers?: unknown }).layers);
}

/** Keras class name: a class's own static `className`, else its JS name. */
export function kerasClassName(obj: object): string {
  const ctor = obj.constructor as { className?: unknown; name: string };
  if (Object.hasOwn(ctor, 'className') && typeof ctor.className === 'string') return ctor.className;
  return ctor.name;
}

export function variableShape(v: VariableLike): number[] {
  return [...(v.shape ?? v.value.shape)];
}
