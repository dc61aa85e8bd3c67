import { CosineDecay, CosineDecayRestarts } from './cosine-decay.js';
import {
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
} from './decay-schedules.js';
import { LearningRateSchedule, type SerializedKerasObject } from './learning-rate-schedule.js';

export type ScheduleClass = {
  className: string;
  fromConfig(c: Record<string, unknown>): LearningRateSchedule;
};

const BUILT_IN: ScheduleClass[] = [
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  CosineDecayRestarts,
];

const custom = new Map<string, ScheduleClass>();

/** Makes a user schedule class deserializable by its `className`. */
export function registerSchedule(cls: ScheduleClass): void {
  custom.set(cls.className, cls);
}

/** Keras 3 `keras.optimizers.schedules.serialize`. */
export function serialize(schedule: LearningRateSchedule): SerializedKerasObject {
  const cls = schedule.constructor as unknown as ScheduleClass;
  const builtIn = BUILT_IN.includes(cls);
  return {
    module: builtIn ? 'keras.optimizers.schedules' : null,
    class_name: cls.className,
    config: schedule.getConfig(),
    registered_name: builtIn ? null : cls.className,
  };
}

/** Keras 3 `keras.optimizers.schedules.deserialize`; also reads Keras 2 `{class_name, config}`. */
export function deserialize(
  config: SerializedKerasObject,
  customObjects: Record<string, unknown> = {},
): LearningRateSchedule {
  const name = config.registered_name ?? config.class_name;
  const fromCustom = customObjects[name] ?? customObjects[config.class_name];
  const cls =
    (fromCustom as ScheduleClass | undefined) ??
    custom.get(name) ??
    BUILT_IN.find((c) => c.className === config.class_name);
  if (!cls) {
    const known = BUILT_IN.map((c) => c.className).join(', ');
    throw new Error(
      `Could not locate learning rate schedule '${config.class_name}'. Expected one of ` +
        `${known}, or a class passed in customObjects / registerSchedule. Received: ` +
        `${JSON.stringify(config)}`,
    );
  }
  return cls.fromConfig(config.config ?? {});
}

export function isSchedule(x: unknown): x is LearningRateSchedule {
  return x instanceof LearningRateSchedule;
}
