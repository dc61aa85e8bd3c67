import * as tf from '@tensorflow/tfjs-core';
import {
  checkPositiveSteps,
  constPow,
  LearningRateSchedule,
  toFloat,
} from './learning-rate-schedule.js';

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  alpha?: number;
  name?: string;
  /** With a target, the rate first rises linearly from `initialLearningRate` over `warmupSteps`. */
  warmupTarget?: number | null;
  warmupSteps?: number;
}

/** Cosine decay (SGDR without restarts), with an optional linear warmup. */
export class CosineDecay extends LearningRateSchedule {
  static override className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(args: CosineDecayArgs) {
    super();
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.alpha = args.alpha ?? 0.0;
    this.name = args.name ?? 'CosineDecay';
    this.warmupTarget = args.warmupTarget ?? null;
    this.warmupSteps = args.warmupSteps ?? 0;
    checkPositiveSteps('decay_steps', this.decaySteps);
  }

  private decay(step: tf.Tensor, decayFrom: number): tf.Tensor {
    const fraction = tf.div(step, this.decaySteps);
    const cosine = tf.mul(0.5, tf.add(1, tf.cos(tf.mul(Math.PI, fraction))));
    return tf.mul(decayFrom, tf.add(tf.mul(1 - this.alpha, cosine), this.alpha));
  }

  call(step: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const s = toFloat(step);
      if (this.warmupTarget === null) {
        return this.decay(tf.minimum(s, this.decaySteps), this.initialLearningRate);
      }
      const target = this.warmupTarget;
      const clamped = tf.minimum(s, this.decaySteps + this.warmupSteps);
      // Both branches are computed and one selected, so no host read decides the phase.
      const warm = tf.add(
        tf.mul(target - this.initialLearningRate, tf.div(clamped, this.warmupSteps)),
        this.initialLearningRate,
      );
      const decayed = this.decay(tf.sub(clamped, this.warmupSteps), target);
      return tf.where(tf.less(clamped, this.warmupSteps), warm, decayed);
    });
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }

  static fromConfig(c: Record<string, unknown>): CosineDecay {
    return new CosineDecay({
      initialLearningRate: c.initial_learning_rate as number,
      decaySteps: c.decay_steps as number,
      alpha: (c.alpha as number | undefined) ?? 0,
      name: (c.name as string | undefined) ?? 'CosineDecay',
      warmupTarget: (c.warmup_target as number | null | undefined) ?? null,
      warmupSteps: (c.warmup_steps as number | undefined) ?? 0,
    });
  }
}

export interface CosineDecayRestartsArgs {
  initialLearningRate: number;
  firstDecaySteps: number;
  tMul?: number;
  mMul?: number;
  alpha?: number;
  name?: string;
}

/** Cosine decay with warm restarts (SGDR): each period `tMul` times longer, `mMul` times lower. */
export class CosineDecayRestarts extends LearningRateSchedule {
  static override className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(args: CosineDecayRestartsArgs) {
    super();
    this.initialLearningRate = args.initialLearningRate;
    this.firstDecaySteps = args.firstDecaySteps;
    this.tMul = args.tMul ?? 2.0;
    this.mMul = args.mMul ?? 1.0;
    this.alpha = args.alpha ?? 0.0;
    this.name = args.name ?? 'SGDRDecay';
    checkPositiveSteps('first_decay_steps', this.firstDecaySteps);
  }

  call(step: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let fraction = tf.div(toFloat(step), this.firstDecaySteps);
      let iRestart: tf.Tensor;
      // t_mul is a Python constant here, so the branch is chosen on the host as Keras's cond would.
      if (this.tMul === 1.0) {
        iRestart = tf.floor(fraction);
        fraction = tf.sub(fraction, iRestart);
      } else {
        const t = this.tMul;
        iRestart = tf.floor(tf.div(tf.log(tf.sub(1, tf.mul(fraction, 1 - t))), Math.log(t)));
        const sumR = tf.div(tf.sub(1, constPow(t, iRestart)), 1 - t);
        fraction = tf.div(tf.sub(fraction, sumR), constPow(t, iRestart));
      }
      const mFac = constPow(this.mMul, iRestart);
      const cosine = tf.mul(tf.mul(0.5, mFac), tf.add(1, tf.cos(tf.mul(Math.PI, fraction))));
      const decayed = tf.add(tf.mul(1 - this.alpha, cosine), this.alpha);
      return tf.mul(this.initialLearningRate, decayed);
    });
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }

  static fromConfig(c: Record<string, unknown>): CosineDecayRestarts {
    return new CosineDecayRestarts({
      initialLearningRate: c.initial_learning_rate as number,
      firstDecaySteps: c.first_decay_steps as number,
      tMul: (c.t_mul as number | undefined) ?? 2.0,
      mMul: (c.m_mul as number | undefined) ?? 1.0,
      alpha: (c.alpha as number | undefined) ?? 0,
      name: (c.name as string | undefined) ?? 'SGDRDecay',
    });
  }
}
