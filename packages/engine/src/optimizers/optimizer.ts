import * as tf from '@tensorflow/tfjs-core';
import { accumulatedUpdate, emaUpdate } from './accumulation.js';
import {
  checkGradsForBuiltOptimizer,
  checkGradsForVariables,
  presentGradients,
} from './apply-checks.js';
import { checkClipOptions, clipGradients } from './clipping.js';
import { configToArgs } from './config-args.js';
import { autoName } from './naming.js';
import { ScalarMirror } from './scalar-mirror.js';
import { LearningRateSchedule } from './schedules/learning-rate-schedule.js';
import { serialize as serializeSchedule } from './schedules/serialization.js';
import { makeStepContext, type StepContext, type StepResult } from './step-context.js';
import {
  constraintOf,
  OptimizerVariable,
  unwrapVariable,
  type VariableLike,
  variableSlotPrefix,
} from './variable.js';
import { WeightDecayExclusions } from './weight-decay.js';

export type { StepContext, StepResult };

/** A learning rate: a constant, a schedule of the step, or a function read at each step. */
export type LearningRate = number | LearningRateSchedule | (() => number | tf.Tensor);

/** Options every optimizer takes (Keras 3 `BaseOptimizer.__init__`). */
export interface OptimizerArgs {
  learningRate?: LearningRate;
  weightDecay?: number | null;
  clipnorm?: number | null;
  clipvalue?: number | null;
  globalClipnorm?: number | null;
  useEma?: boolean;
  emaMomentum?: number;
  emaOverwriteFrequency?: number | null;
  lossScaleFactor?: number | null;
  gradientAccumulationSteps?: number | null;
  name?: string;
}

/** `[gradient, variable]`; a null gradient is skipped with a warning, as in Keras. */
export type GradientPair = [tf.Tensor | null | undefined, VariableLike];

/**
 * Keras 3's `BaseOptimizer`: gradient clipping, decoupled weight decay, EMA of the weights,
 * gradient accumulation, loss scaling and learning-rate schedules around a per-variable
 * `updateStep`. A step is a handful of tf ops and `assign`s, all inside one `tf.tidy`, with the
 * step counter and learning rate kept in variables so nothing is read back to the host.
 */
export abstract class Optimizer {
  /** Keras class name (`'Adam'`), used by `getConfig` consumers and the registry. */
  static className = 'Optimizer';

  readonly name: string;
  weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly lossScaleFactor: number | null;
  readonly gradientAccumulationSteps: number | null;
  built = false;

  private readonly tracked: OptimizerVariable[] = [];
  private readonly iterationsVar: OptimizerVariable;
  private lrVar: OptimizerVariable | null = null;
  private readonly iterationsMirror = new ScalarMirror(() => this.iterationsVar.value);
  private readonly lrMirror = new ScalarMirror(() => (this.lrVar as OptimizerVariable).value);
  private lrSource: LearningRateSchedule | (() => number | tf.Tensor) | null = null;
  private trainable: tf.Variable[] = [];
  private trainableRefs: VariableLike[] = [];
  private readonly indexOf = new Map<tf.Variable, number>();
  private emaAverages: OptimizerVariable[] = [];
  private gradAccumulators: OptimizerVariable[] = [];
  private readonly decayExclusions = new WeightDecayExclusions();

  constructor(args: OptimizerArgs, defaultLearningRate: number) {
    const className = (this.constructor as typeof Optimizer).className;
    this.name = args.name ?? autoName(className);
    this.weightDecay = args.weightDecay ?? null;
    this.clipnorm = args.clipnorm ?? null;
    this.clipvalue = args.clipvalue ?? null;
    this.globalClipnorm = args.globalClipnorm ?? null;
    this.useEma = args.useEma ?? false;
    this.emaMomentum = args.emaMomentum ?? 0.99;
    this.emaOverwriteFrequency = args.emaOverwriteFrequency ?? null;
    this.lossScaleFactor = args.lossScaleFactor ?? null;
    this.gradientAccumulationSteps = args.gradientAccumulationSteps ?? null;

    const steps = this.gradientAccumulationSteps;
    if (steps && !(Number.isInteger(steps) && steps >= 2)) {
      throw new Error(
        '`gradient_accumulation_steps` must be an integer >= 2. Received: ' +
          `gradient_accumulation_steps=${steps}`,
      );
    }
    if (this.useEma) {
      if (this.emaMomentum > 1 || this.emaMomentum < 0) {
        throw new Error(
          `\`ema_momentum\` must be in the range [0, 1]. Received: ema_momentum=${this.emaMomentum}`,
        );
      }
      const f = this.emaOverwriteFrequency;
      if (f && !(Number.isInteger(f) && f >= 1)) {
        throw new Error(
          '`ema_overwrite_frequency` must be an integer >= 1 or None. Received: ' +
            `ema_overwrite_frequency=${f}`,
        );
      }
    }
    checkClipOptions(this);

    this.iterationsVar = this.addVariable({
      name: 'iteration',
      initialValue: tf.scalar(0, 'int32'),
    });
    this.iterationsMirror.wrote(0);
    const lr = args.learningRate ?? defaultLearningRate;
    if (lr instanceof LearningRateSchedule || typeof lr === 'function') {
      this.lrSource = lr;
    } else if (typeof lr === 'number' && Number.isFinite(lr)) {
      this.lrVar = this.addVariable({ name: 'learning_rate', initialValue: tf.scalar(lr) });
      this.lrMirror.wrote(Math.fround(lr));
    } else {
      throw new Error(
        'Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or a ' +
          'callable (that takes in the current iteration value and returns the corresponding ' +
          `learning rate value). Received instead: learning_rate=${String(lr)}`,
      );
    }
  }

  // ---- state -------------------------------------------------------------------------------

  /** All state, in Keras 3 order: iteration, learning_rate (if a constant), then slots. */
  get variables(): OptimizerVariable[] {
    return [...this.tracked];
  }

  /** The step counter as Keras reports it (divided by the accumulation steps, if any). */
  get iterations(): number {
    const raw = this.iterationsMirror.read();
    const steps = this.gradientAccumulationSteps;
    return steps ? Math.floor(raw / steps) : raw;
  }

  /** The raw step-counter variable (one tick per `applyGradients` call). */
  get iterationsVariable(): OptimizerVariable {
    return this.iterationsVar;
  }

  /** The current learning rate, read on the host. */
  get learningRate(): number {
    if (this.lrVar) return this.lrMirror.read();
    return tf.tidy(() => this.currentLearningRate().dataSync()[0] as number);
  }

  /** Sets a constant rate (assigned to the variable), or replaces it with a schedule/function. */
  set learningRate(value: LearningRate) {
    if (value instanceof LearningRateSchedule || typeof value === 'function') {
      this.lrSource = value;
      if (this.lrVar) {
        const i = this.tracked.indexOf(this.lrVar);
        if (i >= 0) this.tracked.splice(i, 1);
        this.lrVar.dispose();
        this.lrVar = null;
      }
      return;
    }
    if (this.lrSource instanceof LearningRateSchedule) {
      throw new Error(
        'This optimizer was created with a `LearningRateSchedule` object as its ' +
          '`learning_rate` constructor argument, hence its learning rate is not settable. If you ' +
          'need the learning rate to be settable, you should instantiate the optimizer with a ' +
          'float `learning_rate` argument.',
      );
    }
    if (!this.lrVar) {
      throw new Error(
        `The learning rate of optimizer '${this.name}' is a function; set a schedule or a function ` +
          `instead of a number. Received: learning_rate=${value}`,
      );
    }
    this.lrVar.value.assign(tf.scalar(value));
    this.lrMirror.wrote(Math.fround(value));
  }

  /** Keras 2 spelling (`optimizer.lr`), used by Keras 2 style callbacks. */
  get lr(): number {
    return this.learningRate;
  }

  set lr(value: LearningRate) {
    this.learningRate = value;
  }

  /** The learning rate of the current step as a float32 scalar tensor (no host read). */
  currentLearningRate(): tf.Tensor {
    if (this.lrVar) return this.lrVar.value;
    const src = this.lrSource;
    if (src instanceof LearningRateSchedule) return src.call(this.iterationsVar.value);
    if (src) {
      const v = src();
      return typeof v === 'number' ? tf.scalar(v) : tf.cast(v, 'float32');
    }
    throw new Error(`Optimizer '${this.name}' has no learning rate.`);
  }

  /** The learning rate as given: the schedule or function, else null (a constant). */
  get learningRateSchedule(): LearningRateSchedule | (() => number | tf.Tensor) | null {
    return this.lrSource;
  }

  protected addVariable(args: { name: string; initialValue: tf.Tensor }): OptimizerVariable {
    const v = new OptimizerVariable({
      name: args.name,
      path: `${this.name}/${args.name}`,
      initialValue: args.initialValue,
    });
    args.initialValue.dispose();
    this.tracked.push(v);
    return v;
  }

  /** One slot per variable, named `<variable path>_<name>` (Keras `add_variable_from_reference`). */
  protected addSlots(vars: VariableLike[], name: string, init: number = 0): OptimizerVariable[] {
    return vars.map((ref) => this.addSlotFor(ref, name, init));
  }

  /**
   * Slots for several names, created variable by variable (`v0_momentum, v0_velocity, v1_...`),
   * which is the order Keras's `add_optimizer_variables` tracks them in.
   */
  protected addSlotGroups(
    vars: VariableLike[],
    names: { name: string; init?: number }[],
  ): OptimizerVariable[][] {
    const out: OptimizerVariable[][] = names.map(() => []);
    for (const ref of vars) {
      names.forEach((n, i) => {
        out[i]?.push(this.addSlotFor(ref, n.name, n.init ?? 0));
      });
    }
    return out;
  }

  private addSlotFor(ref: VariableLike, name: string, init: number): OptimizerVariable {
    const v = unwrapVariable(ref);
    return this.addVariable({
      name: `${variableSlotPrefix(ref)}_${name}`,
      initialValue: tf.fill(v.shape, init, v.dtype),
    });
  }

  /** Creates the optimizer state for these variables (once; later calls are no-ops). */
  build(vars: VariableLike[]): void {
    if (this.built) return;
    if (this.useEma) this.emaAverages = this.addSlots(vars, 'average');
    this.trainableRefs = [...vars];
    this.trainable = vars.map(unwrapVariable);
    this.trainable.forEach((v, i) => {
      this.indexOf.set(v, i);
    });
    if (this.gradientAccumulationSteps) {
      this.gradAccumulators = this.addSlots(vars, 'gradient_accumulator');
    }
    this.buildSlots(vars);
    this.built = true;
  }

  /** Subclasses create their slots here with `addSlots` / `addSlotGroups`. */
  protected abstract buildSlots(vars: VariableLike[]): void;

  /** Index of a model variable in the list the optimizer was built with. */
  protected variableIndex(v: tf.Variable): number {
    const i = this.indexOf.get(v);
    if (i === undefined) throw new Error(`Unknown variable: ${v.name}.`);
    return i;
  }

  /** The new value of one variable and of its slots, from its (clipped, decayed) gradient. */
  protected abstract updateStep(args: {
    grad: tf.Tensor;
    value: tf.Tensor;
    index: number;
    ctx: StepContext;
  }): StepResult;

  /** Runs `updateStep` for every variable; Nadam overrides this to update shared state first. */
  protected updateAll(
    grads: tf.Tensor[],
    values: tf.Tensor[],
    indices: number[],
    ctx: StepContext,
  ): { values: tf.Tensor[]; slots: [OptimizerVariable, tf.Tensor][] } {
    const newValues: tf.Tensor[] = [];
    const slots: [OptimizerVariable, tf.Tensor][] = [];
    grads.forEach((grad, k) => {
      const r = this.updateStep({
        grad,
        value: values[k] as tf.Tensor,
        index: indices[k] as number,
        ctx,
      });
      newValues.push(r.value);
      slots.push(...r.slots);
    });
    return { values: newValues, slots };
  }

  /** Excludes variables (or names matching any of `varNames`) from weight decay; before build. */
  excludeFromWeightDecay(args: { varList?: VariableLike[]; varNames?: string[] }): void {
    if (this.built) {
      throw new Error(
        '`exclude_from_weight_decay()` can only be configured before the optimizer is built.',
      );
    }
    this.decayExclusions.set(args);
  }

  private usesWeightDecay(i: number): boolean {
    return !this.decayExclusions.excludes(this.trainableRefs[i] as VariableLike);
  }

  // ---- the step ----------------------------------------------------------------------------

  /** Keras `apply_gradients(zip(grads, vars))`: builds on first use, then one update. */
  applyGradients(pairs: Iterable<GradientPair>): void {
    const list = [...pairs];
    this.apply(
      list.map((p) => p[0] ?? null),
      list.map((p) => p[1]),
    );
  }

  /** Keras `apply(grads, trainable_variables?)`. */
  apply(grads: (tf.Tensor | null)[], vars?: VariableLike[]): void {
    if (grads.length === 0) return;
    let refs: VariableLike[];
    if (vars === undefined) {
      checkGradsForBuiltOptimizer(grads, this.built, this.trainable.length);
      refs = this.trainableRefs;
    } else {
      refs = vars;
      // Keras builds on the first call before it checks the variables against what it built.
      if (vars.length === grads.length && !this.built) this.build(refs);
      checkGradsForVariables(grads, vars, (r) => this.indexOf.has(unwrapVariable(r)));
    }
    const kept = presentGradients(grads, refs);

    // The step count before this update, if known on the host (read before the assign below).
    const counted = this.iterationsMirror.known;
    tf.tidy(() => {
      const keptRefs = kept.map((k) => refs[k] as VariableLike);
      const variables = keptRefs.map(unwrapVariable);
      const indices = variables.map((v) => this.variableIndex(v));
      let gs = kept.map((k) => {
        const g = grads[k] as tf.Tensor;
        const v = variables[kept.indexOf(k)] as tf.Variable;
        return g.dtype === v.dtype ? g : tf.cast(g, v.dtype);
      });
      if (this.lossScaleFactor !== null)
        gs = gs.map((g) => tf.div(g, this.lossScaleFactor as number));
      const finalValues = this.computeUpdates(gs, variables, indices);
      // Keras 3 applies constraints after the update (and after EMA bookkeeping).
      keptRefs.forEach((ref, k) => {
        const c = constraintOf(ref);
        const v = variables[k] as tf.Variable;
        const next = finalValues.get(v) ?? v;
        if (c) finalValues.set(v, c(next));
      });
      for (const [v, t] of finalValues) v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype));
      this.iterationsVar.value.assign(tf.add(this.iterationsVar.value, tf.scalar(1, 'int32')));
    });
    if (counted !== null) this.iterationsMirror.wrote(counted + 1);
  }

  /** Everything but the constraint and counter; returns each model variable's new value. */
  private computeUpdates(
    grads: tf.Tensor[],
    variables: tf.Variable[],
    indices: number[],
  ): Map<tf.Variable, tf.Tensor> {
    const rawIter = tf.cast(this.iterationsVar.value, 'float32');
    const steps = this.gradientAccumulationSteps;
    const iter = steps ? tf.floor(tf.div(rawIter, steps)) : rawIter;
    const lr = tf.cast(this.currentLearningRate(), 'float32');
    const ctx = makeStepContext(lr, tf.add(iter, 1));
    const update = (gs: tf.Tensor[]) => this.step(gs, variables, indices, ctx);
    const updated = steps
      ? accumulatedUpdate({
          grads,
          variables,
          accumulators: indices.map((i) => this.gradAccumulators[i] as OptimizerVariable),
          rawIteration: rawIter,
          steps,
          update,
        })
      : update(grads);
    const out = new Map<tf.Variable, tf.Tensor>();
    variables.forEach((v, k) => {
      out.set(v, updated.values[k] as tf.Tensor);
    });
    const slotOut = [...updated.slots];
    if (this.useEma) {
      emaUpdate({
        iteration: iter,
        momentum: this.emaMomentum,
        overwriteFrequency: this.emaOverwriteFrequency,
        trainable: this.trainable,
        averages: this.emaAverages,
        values: out,
        slots: slotOut,
      });
    }
    for (const [slot, t] of slotOut) slot.value.assign(t);
    return out;
  }

  /** Clipping, weight decay, then the optimizer's own update (Keras `_update_step_fn`). */
  private step(
    grads: tf.Tensor[],
    variables: tf.Variable[],
    indices: number[],
    ctx: StepContext,
  ): { values: tf.Tensor[]; slots: [OptimizerVariable, tf.Tensor][] } {
    const clipped = this.clipGradients(grads);
    const values = variables.map((v, k) => {
      if (this.weightDecay === null || !this.usesWeightDecay(indices[k] as number)) return v;
      return tf.sub(v, tf.mul(v, tf.mul(this.weightDecay, ctx.lr)));
    });
    return this.updateAll(clipped, values, indices, ctx);
  }

  /** Keras `_clip_gradients`: clipnorm per tensor, else global norm, else value clipping. */
  clipGradients(grads: tf.Tensor[]): tf.Tensor[] {
    return clipGradients(grads, this);
  }

  /** Writes the EMA of the weights into the model variables (Keras `finalize_variable_values`). */
  finalizeVariableValues(): void {
    if (!this.useEma) return;
    this.trainable.forEach((v, i) => {
      v.assign((this.emaAverages[i] as OptimizerVariable).value);
    });
  }

  /** Keras `set_weights`: one array per `variables` entry, shapes checked. */
  setWeights(weights: tf.Tensor[]): void {
    if (!this.built) {
      throw new Error(
        'You are calling `setWeights()` on an optimizer that has not yet been built. Please ' +
          'call `optimizer.build(trainableVariables)` to create the optimizer weights before ' +
          'calling `setWeights()`.',
      );
    }
    this.tracked.forEach((v, i) => {
      const w = weights[i];
      if (w) v.assign(w);
    });
  }

  /** Current values of `variables` (copies). */
  getWeights(): tf.Tensor[] {
    return this.tracked.map((v) => tf.clone(v.value));
  }

  /** Keras `scale_loss`. */
  scaleLoss(loss: tf.Tensor): tf.Tensor {
    return this.lossScaleFactor !== null ? tf.mul(loss, this.lossScaleFactor) : loss;
  }

  /** Per-optimizer config keys (beta_1, momentum, ...). */
  protected abstract ownConfig(): Record<string, unknown>;

  /** Keras 3 `get_config()`: base keys then the optimizer's own. */
  getConfig(): Record<string, unknown> {
    let learningRate: unknown;
    // The host copy (or, after an outside assign, hostRead: read ahead inside a save).
    if (this.lrVar) learningRate = this.lrMirror.read();
    else if (this.lrSource instanceof LearningRateSchedule)
      learningRate = serializeSchedule(this.lrSource);
    else learningRate = this.learningRate;
    return {
      name: this.name,
      learning_rate: learningRate,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: this.lossScaleFactor,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
      ...this.ownConfig(),
    };
  }

  /** Keras `from_config`: a Keras 3 or Keras 2 config of this class (snake_case keys). */
  static fromConfig<T extends Optimizer>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Record<string, unknown>,
    options: { customObjects?: Record<string, unknown> } = {},
  ): T {
    return new this(configToArgs(config, options.customObjects ?? {}));
  }

  /** Frees the optimizer's variables. */
  dispose(): void {
    for (const v of this.tracked) v.dispose();
    this.tracked.length = 0;
  }
}
