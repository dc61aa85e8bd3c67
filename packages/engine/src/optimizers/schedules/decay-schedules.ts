import * as tf from '@tensorflow/tfjs-core';
import {
  checkPositiveSteps,
  constPow,
  LearningRateSchedule,
  toFloat,
} from './learning-rate-schedule.js';

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

/** `initial * decay_rate ^ (step / decay_steps)`, floored exponent when `staircase`. */
export class ExponentialDecay extends LearningRateSchedule {
  static override className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(args: ExponentialDecayArgs) {
    super();
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.decayRate = args.decayRate;
    this.staircase = args.staircase ?? false;
    this.name = args.name ?? 'ExponentialDecay';
    checkPositiveSteps('decay_steps', this.decaySteps);
  }

  call(step: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let p = tf.div(toFloat(step), this.decaySteps);
      if (this.staircase) p = tf.floor(p);
      return tf.mul(this.initialLearningRate, constPow(this.decayRate, p));
    });
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }

  static fromConfig(c: Record<string, unknown>): ExponentialDecay {
    return new ExponentialDecay({
      initialLearningRate: c.initial_learning_rate as number,
      decaySteps: c.decay_steps as number,
      decayRate: c.decay_rate as number,
      staircase: (c.staircase as boolean | undefined) ?? false,
      name: (c.name as string | undefined) ?? 'ExponentialDecay',
    });
  }
}

export interface PiecewiseConstantDecayArgs {
  boundaries: number[];
  values: number[];
  name?: string;
}

/** `values[0]` while `step <= boundaries[0]`, ..., `values[-1]` once `step > boundaries[-1]`. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  readonly name: string;

  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const { boundaries, values } = args;
    if (boundaries.length !== values.length - 1) {
      throw new Error(
        'The length of boundaries should be 1 less than the length of values. Received: ' +
          `boundaries=[${boundaries}] of length ${boundaries.length}, and values=[${values}] ` +
          `of length ${values.length}.`,
      );
    }
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.name = args.name ?? 'PiecewiseConstant';
  }

  call(step: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const s = toFloat(step);
      const b = this.boundaries;
      const v = this.values;
      // The intervals are disjoint, so the sum of indicator * value picks exactly one value.
      let result = tf.mul(tf.cast(tf.lessEqual(s, b[0] as number), 'float32'), v[0] as number);
      result = tf.add(
        result,
        tf.mul(
          tf.cast(tf.greater(s, b[b.length - 1] as number), 'float32'),
          v[v.length - 1] as number,
        ),
      );
      for (let i = 0; i + 1 < b.length; i++) {
        const inRange = tf.logicalAnd(
          tf.greater(s, b[i] as number),
          tf.lessEqual(s, b[i + 1] as number),
        );
        result = tf.add(result, tf.mul(tf.cast(inRange, 'float32'), v[i + 1] as number));
      }
      return result;
    });
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }

  static fromConfig(c: Record<string, unknown>): PiecewiseConstantDecay {
    return new PiecewiseConstantDecay({
      boundaries: c.boundaries as number[],
      values: c.values as number[],
      name: (c.name as string | undefined) ?? 'PiecewiseConstant',
    });
  }
}

export interface PolynomialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  endLearningRate?: number;
  power?: number;
  cycle?: boolean;
  name?: string;
}

/** `(initial - end) * (1 - step / decay_steps) ^ power + end`, with optional cycling. */
export class PolynomialDecay extends LearningRateSchedule {
  static override className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(args: PolynomialDecayArgs) {
    super();
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.endLearningRate = args.endLearningRate ?? 0.0001;
    this.power = args.power ?? 1.0;
    this.cycle = args.cycle ?? false;
    this.name = args.name ?? 'PolynomialDecay';
    checkPositiveSteps('decay_steps', this.decaySteps);
  }

  call(step: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let s = toFloat(step);
      let decaySteps: tf.Tensor = tf.scalar(this.decaySteps);
      if (this.cycle) {
        const multiplier = tf.where(
          tf.equal(s, 0),
          tf.onesLike(s),
          tf.ceil(tf.div(s, this.decaySteps)),
        );
        decaySteps = tf.mul(decaySteps, multiplier);
      } else {
        s = tf.minimum(s, decaySteps);
      }
      const p = tf.div(s, decaySteps);
      return tf.add(
        tf.mul(
          this.initialLearningRate - this.endLearningRate,
          this.power === 1 ? tf.sub(1, p) : tf.pow(tf.sub(1, p), tf.scalar(this.power)),
        ),
        this.endLearningRate,
      );
    });
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }

  static fromConfig(c: Record<string, unknown>): PolynomialDecay {
    return new PolynomialDecay({
      initialLearningRate: c.initial_learning_rate as number,
      decaySteps: c.decay_steps as number,
      endLearningRate: (c.end_learning_rate as number | undefined) ?? 0.0001,
      power: (c.power as number | undefined) ?? 1.0,
      cycle: (c.cycle as boolean | undefined) ?? false,
      name: (c.name as string | undefined) ?? 'PolynomialDecay',
    });
  }
}

export interface InverseTimeDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

/** `initial / (1 + decay_rate * step / decay_steps)` (floored ratio when `staircase`). */
export class InverseTimeDecay extends LearningRateSchedule {
  static override className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(args: InverseTimeDecayArgs) {
    super();
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.decayRate = args.decayRate;
    this.staircase = args.staircase ?? false;
    this.name = args.name ?? 'InverseTimeDecay';
    checkPositiveSteps('decay_steps', this.decaySteps);
  }

  call(step: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let p = tf.div(toFloat(step), this.decaySteps);
      if (this.staircase) p = tf.floor(p);
      return tf.div(this.initialLearningRate, tf.add(1, tf.mul(this.decayRate, p)));
    });
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }

  static fromConfig(c: Record<string, unknown>): InverseTimeDecay {
    return new InverseTimeDecay({
      initialLearningRate: c.initial_learning_rate as number,
      decaySteps: c.decay_steps as number,
      decayRate: c.decay_rate as number,
      staircase: (c.staircase as boolean | undefined) ?? false,
      name: (c.name as string | undefined) ?? 'InverseTimeDecay',
    });
  }
}
