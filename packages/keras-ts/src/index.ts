/**
 * keras-ts: `import * as keras from 'keras-ts'` gives the Keras namespaces. Importing this
 * module also registers the file formats of @keras-ts/saving with the engine, so `model.save()`,
 * `model.saveWeights()` and `model.loadWeights()` work.
 */
import '@keras-ts/saving';

export * as backend from '@keras-ts/backend';
export {
  callbacks,
  Functional,
  losses,
  Model,
  metrics,
  optimizers,
  Sequential,
} from '@keras-ts/engine';
export * as layers from '@keras-ts/layers';
export {
  activations,
  constraints,
  Input,
  InputLayer,
  initializers,
  Layer,
  registerKerasSerializable,
  regularizers,
} from '@keras-ts/layers';
export * as saving from '@keras-ts/saving';
export * as models from './models.js';
export * as preprocessing from './preprocessing/index.js';
export * as utils from './utils/index.js';
