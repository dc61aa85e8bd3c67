import './register.js';

export * as activations from './activations/index.js';
export * as constraints from './constraints/index.js';
// Layers.
export { Dense, type DenseArgs } from './core/dense.js';
export { type CallContext, currentCallContext } from './engine/call-context.js';
export { Input, InputLayer, type InputLayerArgs } from './engine/input-layer.js';
export {
  assertInputCompatibility,
  type InputDescription,
  InputSpec,
} from './engine/input-spec.js';
export { getKerasMask, setKerasMask } from './engine/keras-mask.js';
export { type AddWeightArgs, Layer, type LayerArgs } from './engine/layer.js';
export { resetUniqueNames, toSnakeCase, uniqueName } from './engine/naming.js';
export { Node } from './engine/node.js';
export {
  isSymbolicTensor,
  type KerasHistory,
  SymbolicTensor,
} from './engine/symbolic-tensor.js';
export {
  type CallArgs,
  type Config,
  type ConfigValue,
  type DType,
  formatShape,
  isDType,
  type Shape,
  toTfDtype,
} from './engine/types.js';
export { LayerVariable } from './engine/variable.js';
export * as initializers from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export { camelToSnake, configToArgs, snakeToCamel } from './serialization/config-keys.js';
export {
  type DTypePolicy,
  parseDTypePolicy,
  serializeDTypePolicy,
} from './serialization/dtype-policy.js';
export {
  type CustomObjects,
  classNameOf,
  type DeserializeOptions,
  deserializeKerasObject,
  getRegisteredClass,
  getRegisteredName,
  type ObjectKind,
  type Registrable,
  registerBuiltin,
  registerKerasSerializable,
  type SerializedObject,
  serializeKerasObject,
  withCustomObjects,
} from './serialization/registry.js';
