/** `keras.preprocessing`: Keras 2's image augmentation under its old namespace. */

export { Sequence } from '@keras-ts/data';
export * as image from './image.js';
