export {
  CosineDecay,
  type CosineDecayArgs,
  CosineDecayRestarts,
  type CosineDecayRestartsArgs,
} from './cosine-decay.js';
export {
  ExponentialDecay,
  type ExponentialDecayArgs,
  InverseTimeDecay,
  type InverseTimeDecayArgs,
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayArgs,
  PolynomialDecay,
  type PolynomialDecayArgs,
} from './decay-schedules.js';
export { LearningRateSchedule, type SerializedKerasObject } from './learning-rate-schedule.js';
export {
  deserialize,
  isSchedule,
  registerSchedule,
  type ScheduleClass,
  serialize,
} from './serialization.js';
