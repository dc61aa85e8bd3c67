import { formatShape, type Shape } from '../engine/types.js';

/** Keras-style argument check: `... expected a positive integer. Received: units=0`. */
export function checkPositiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(
      `Received an invalid value for "${name}", expected a positive integer. Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

/** Checks a rate in [0, 1) (Dropout and friends) and echoes a wrong one. */
export function checkRate(name: string, value: unknown, inclusiveOne = false): number {
  const ok = typeof value === 'number' && value >= 0 && (inclusiveOne ? value <= 1 : value < 1);
  if (!ok) {
    throw new Error(
      `Received an invalid value for "${name}", expected a float in the range [0, 1${inclusiveOne ? ']' : ')'}. ` +
        `Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

/** The known last dimension of a single input shape; layers that need it say so by name. */
export function lastDim(layerName: string, inputShape: Shape | Shape[]): number {
  const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  const d = shape[shape.length - 1];
  if (d === null || d === undefined) {
    throw new Error(
      `Layer "${layerName}" needs the last dimension of its input to be defined. ` +
        `Received: input_shape=${formatShape(shape)}`,
    );
  }
  return d;
}
