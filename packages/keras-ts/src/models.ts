/** `keras.models`: the model classes and the whole-model file functions. */
export { Functional, Model, Sequential } from '@keras-ts/engine';
export { loadModel, modelFromJSON, saveModel } from '@keras-ts/saving';
