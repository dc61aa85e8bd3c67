/**
 * Global Keras settings (`keras.backend.floatx()`, `epsilon()`, `image_data_format()`), with
 * Keras's defaults and its validation messages.
 */

export type FloatX = 'float16' | 'bfloat16' | 'float32' | 'float64';
export type ImageDataFormat = 'channels_last' | 'channels_first';

const state: { floatx: FloatX; epsilon: number; imageDataFormat: ImageDataFormat } = {
  floatx: 'float32',
  epsilon: 1e-7,
  imageDataFormat: 'channels_last',
};

/** The default float type of new weights (Keras default `'float32'`). */
export function floatx(): FloatX {
  return state.floatx;
}

export function setFloatx(value: FloatX): void {
  const allowed: FloatX[] = ['float16', 'bfloat16', 'float32', 'float64'];
  if (!allowed.includes(value)) {
    throw new Error(
      `Unknown floatx type: ${String(value)}. Expected one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
    );
  }
  state.floatx = value;
}

/** The fuzz factor used in numeric expressions (Keras default `1e-7`). */
export function epsilon(): number {
  return state.epsilon;
}

export function setEpsilon(value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(
      `Expected a non-negative finite number for epsilon. Received: epsilon=${value}`,
    );
  }
  state.epsilon = value;
}

/** The default image layout (Keras default `'channels_last'`). */
export function imageDataFormat(): ImageDataFormat {
  return state.imageDataFormat;
}

export function setImageDataFormat(value: ImageDataFormat): void {
  if (value !== 'channels_last' && value !== 'channels_first') {
    throw new Error(
      `The "data_format" argument must be one of "channels_first", "channels_last". Received: data_format=${String(value)}`,
    );
  }
  state.imageDataFormat = value;
}
