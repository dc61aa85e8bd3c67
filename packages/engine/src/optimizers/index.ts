export { Adadelta, type AdadeltaArgs } from './adadelta.js';
export { Adagrad, type AdagradArgs } from './adagrad.js';
export { Adam, type AdamArgs } from './adam.js';
export { Adamax, type AdamaxArgs } from './adamax.js';
export { AdamW } from './adamw.js';
export { Ftrl, type FtrlArgs } from './ftrl.js';
export { Lamb, type LambArgs } from './lamb.js';
export { Lion, type LionArgs } from './lion.js';
export { Nadam, type NadamArgs } from './nadam.js';
export {
  type GradientPair,
  type LearningRate,
  Optimizer,
  type OptimizerArgs,
  type StepContext,
  type StepResult,
} from './optimizer.js';
export {
  deserialize,
  get,
  type OptimizerClass,
  type OptimizerIdentifier,
  registerOptimizer,
  serialize,
} from './registry.js';
export { RMSprop, type RMSpropArgs } from './rmsprop.js';
export * as schedules from './schedules/index.js';
export { SGD, type SGDArgs } from './sgd.js';
export {
  OptimizerVariable,
  unwrapVariable,
  type VariableLike,
  type WrappedVariable,
} from './variable.js';
