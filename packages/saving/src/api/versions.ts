/**
 * The Keras 3 format version our `.keras` and `.h5` files follow (FORMATS.md was checked against
 * Keras 3.15/3.16): Keras reads `keras_version` to choose its loading path, so files carry the
 * Keras version whose layout they reproduce, and keras-ts's own version beside it.
 */
export const KERAS_FORMAT_VERSION = '3.15.1';
export const KERAS_TS_VERSION = '0.1.0';
