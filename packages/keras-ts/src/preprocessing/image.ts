export {
  applyAffine as applyAffineTransform,
  DirectoryIterator,
  FlowSequence as NumpyArrayIterator,
  ImageDataGenerator,
} from '@keras-ts/data';
