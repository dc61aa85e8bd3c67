import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import * as constraints from '../constraints/index.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import * as initializers from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import * as regularizers from '../regularizers/index.js';
import { dropoutWeights } from './attention-math.js';
import { HeadProjection } from './head-projection.js';

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  /** Size of each attention head for query and key. */
  keyDim: number;
  /** Size of each head for value (defaults to keyDim). */
  valueDim?: number | null;
  dropout?: number;
  useBias?: boolean;
  /** Size of the last output axis (defaults to the query's). */
  outputShape?: number | number[] | null;
  /** Axes attention runs over (default: all axes but batch, heads and features). */
  attentionAxes?: number | number[] | null;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
  seed?: number | null;
  /** Keras 3.10+ options this implementation does not have; only their defaults are accepted. */
  useGate?: boolean;
  slidingWindow?: number | null;
}

/** Call options: Keras's keyword arguments of `MultiHeadAttention.call`. */
export interface MultiHeadAttentionCallArgs extends CallArgs {
  /** `(batch, Tq, Tv)`: true where a query may attend to a key. */
  attentionMask?: Tensor | null;
  returnAttentionScores?: boolean;
  useCausalMask?: boolean;
}

type AnyTensor = Tensor | SymbolicTensor;

/**
 * Keras's MultiHeadAttention: inputs `[query, value]` or `[query, value, key]` (Keras's call
 * signature `(query, value, key)`), each projected to `numHeads` heads, scaled dot-product
 * attention over `attentionAxes`, then an output projection. Masks: the inputs' Keras masks
 * (`mask: [queryMask, valueMask, keyMask]`), `attentionMask`, and `useCausalMask`.
 */
export class MultiHeadAttention extends Layer {
  static override className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShapeArg: number[] | null;
  readonly attentionAxesArg: number[] | null;
  readonly seed: number | null;
  readonly query: HeadProjection;
  readonly key: HeadProjection;
  readonly value: HeadProjection;
  readonly attentionOutput: HeadProjection;
  private returnScoresForShape = false;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const positive = (name: string, v: unknown) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
        throw new Error(
          `Received an invalid value for "${name}", expected a positive integer. Received: ${name}=${String(v)}`,
        );
      }
      return v;
    };
    this.numHeads = positive('num_heads', args.numHeads);
    this.keyDim = positive('key_dim', args.keyDim);
    this.valueDim = positive('value_dim', args.valueDim ?? args.keyDim);
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) {
      throw new Error(
        `Received an invalid value for "dropout", expected a float in [0, 1). Received: dropout=${args.dropout}`,
      );
    }
    this.useBias = args.useBias ?? true;
    this.outputShapeArg =
      args.outputShape === undefined || args.outputShape === null
        ? null
        : Array.isArray(args.outputShape)
          ? [...args.outputShape]
          : [args.outputShape];
    this.attentionAxesArg =
      args.attentionAxes === undefined || args.attentionAxes === null
        ? null
        : Array.isArray(args.attentionAxes)
          ? [...args.attentionAxes]
          : [args.attentionAxes];
    this.seed = args.seed ?? null;
    if (
      args.useGate === true ||
      (args.slidingWindow !== undefined && args.slidingWindow !== null)
    ) {
      throw new Error(
        'MultiHeadAttention here has no gated heads or sliding-window attention. ' +
          `Received: use_gate=${String(args.useGate)}, sliding_window=${String(args.slidingWindow)}`,
      );
    }
    const weightArgs = {
      kernelInitializer: initializers.get(
        args.kernelInitializer ?? 'glorot_uniform',
      ) as Initializer,
      biasInitializer: initializers.get(args.biasInitializer ?? 'zeros') as Initializer,
      kernelRegularizer: regularizers.get(args.kernelRegularizer ?? null),
      biasRegularizer: regularizers.get(args.biasRegularizer ?? null),
      kernelConstraint: constraints.get(args.kernelConstraint ?? null) as Constraint | null,
      biasConstraint: constraints.get(args.biasConstraint ?? null) as Constraint | null,
    };
    const proj = (name: string, heads: number | null, units: number | null) =>
      new HeadProjection({ name, heads, units, useBias: this.useBias, ...weightArgs });
    this.query = proj('query', this.numHeads, this.keyDim);
    this.key = proj('key', this.numHeads, this.keyDim);
    this.value = proj('value', this.numHeads, this.valueDim);
    this.attentionOutput = proj('attention_output', null, null);
    this.supportsMasking = true;
  }

  override apply(
    inputs: SymbolicTensor | SymbolicTensor[],
    args?: CallArgs,
  ): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor | Tensor[], args?: CallArgs): Tensor | Tensor[];
  override apply(
    inputs: AnyTensor | AnyTensor[],
    args?: CallArgs,
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  override apply(
    inputs: AnyTensor | AnyTensor[],
    args: CallArgs = {},
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    if (!Array.isArray(inputs) || inputs.length < 2 || inputs.length > 3) {
      throw new Error(
        'MultiHeadAttention must be called on [query, value] or [query, value, key]. ' +
          `Received: ${Array.isArray(inputs) ? `a list of length ${inputs.length}` : 'a single tensor'}`,
      );
    }
    const { attentionMask, ...rest } = args as MultiHeadAttentionCallArgs;
    this.returnScoresForShape = args.returnAttentionScores === true;
    try {
      // An attention mask travels as an extra input, so symbolic graphs record it.
      if (attentionMask) {
        const list = inputs.length === 2 ? [...inputs, inputs[1]] : [...inputs];
        return super.apply([...list, attentionMask] as Tensor[], {
          ...rest,
          hasAttentionMask: true,
        });
      }
      return super.apply(inputs as Tensor[], rest);
    } finally {
      this.returnScoresForShape = false;
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const [queryShape, valueShape] = inputShape as [Shape, Shape];
    const keyShape = (inputShape as Shape[])[2] ?? valueShape;
    const lastOf = (s: Shape, what: string) => {
      const d = s[s.length - 1];
      if (typeof d !== 'number')
        throw new Error(
          `MultiHeadAttention needs a known ${what} feature size. Received: (${s.join(', ')})`,
        );
      return d;
    };
    this.query.buildProjection({ inputDim: lastOf(queryShape, 'query') });
    this.key.buildProjection({ inputDim: lastOf(keyShape, 'key') });
    this.value.buildProjection({ inputDim: lastOf(valueShape, 'value') });
    const outDims = this.outputShapeArg ?? [lastOf(queryShape, 'query')];
    this.attentionOutput.buildProjection({
      inputDim: this.numHeads * this.valueDim,
      kernelShape: [this.numHeads, this.valueDim, ...outDims],
      outputDims: outDims,
    });
    super.build(inputShape);
  }

  /** Attention axes as non-negative axes of the projected `[batch, ..., heads, dim]` tensors. */
  private attentionAxes(queryRank: number): number[] {
    const axes = this.attentionAxesArg ?? Array.from({ length: queryRank - 2 }, (_, i) => i + 1);
    return axes.map((a) => (a < 0 ? a + queryRank - 1 : a));
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const list = inputs as Tensor[];
    const hasAttentionMask = args.hasAttentionMask === true;
    const [query, value] = list as [Tensor, Tensor];
    const key = (list[2] ?? value) as Tensor;
    const explicitMask = hasAttentionMask ? (list[3] ?? null) : null;
    const masks = Array.isArray(args.mask) ? args.mask : [];
    const {
      returnAttentionScores = false,
      useCausalMask = false,
      training,
    } = args as MultiHeadAttentionCallArgs;
    return tf.tidy(() => {
      const q = this.query.project(query);
      const k = this.key.project(key);
      const v = this.value.project(value);
      const axes = this.attentionAxes(query.rank);
      const attended = scaledDotProduct({
        q,
        k,
        v,
        axes,
        keyDim: this.keyDim,
        mask: combineMasks({
          queryMask: masks[0] ?? null,
          valueMask: masks[1] ?? null,
          keyMask: masks[2] ?? null,
          attentionMask: explicitMask,
          causal: useCausalMask,
          queryShape: query.shape,
          keyShape: key.shape,
          axes,
        }),
        dropout: training === true ? this.dropout : 0,
        seed: this.seed,
      });
      const output = this.attentionOutput.projectOut(attended.output, 2);
      return returnAttentionScores ? [output, attended.scores] : output;
    });
  }

  override computeMask(
    _inputs: Tensor | Tensor[],
    mask?: Tensor | (Tensor | null)[] | null,
  ): Tensor | (Tensor | null)[] | null {
    const queryMask = Array.isArray(mask) ? (mask[0] ?? null) : null;
    return this.returnScoresForShape ? [queryMask, null] : queryMask;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [queryShape, valueShape] = inputShape as [Shape, Shape];
    const keyShape = (inputShape as Shape[])[2] ?? valueShape;
    const outDims = this.outputShapeArg ?? [queryShape[queryShape.length - 1] ?? null];
    const output: Shape = [...queryShape.slice(0, -1), ...outDims];
    if (!this.returnScoresForShape) return output;
    const axes = this.attentionAxes(queryShape.length);
    const batchDims = queryShape.slice(0, -1).filter((_, i) => !axes.includes(i));
    const scores: Shape = [
      ...batchDims,
      this.numHeads,
      ...axes.map((a) => queryShape[a] ?? null),
      ...axes.map((a) => keyShape[a] ?? null),
    ];
    return [output, scores];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      use_gate: false,
      output_shape:
        this.outputShapeArg === null
          ? null
          : this.outputShapeArg.length === 1
            ? (this.outputShapeArg[0] as number)
            : this.outputShapeArg,
      attention_axes: this.attentionAxes(
        (this.buildInputShape as Shape[] | null)?.[0]?.length ?? 3,
      ),
      sliding_window: null,
      kernel_initializer: initializers.serialize(this.query.kernelInitializer),
      bias_initializer: initializers.serialize(this.query.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.query.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.query.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.query.kernelConstraint),
      bias_constraint: constraints.serialize(this.query.biasConstraint),
      seed: this.seed,
    };
  }
}

/**
 * Heads attend over `axes` of `[batch, ...dims, heads, dim]` projections: those axes move next
 * to the features and are flattened, so one batched product gives `[..., heads, Tq, Tk]`.
 */
function scaledDotProduct(args: {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  axes: number[];
  keyDim: number;
  mask: Tensor | null;
  dropout: number;
  seed: number | null;
}): { output: Tensor; scores: Tensor } {
  const { q, k, v, axes } = args;
  const rank = q.rank;
  const headAxis = rank - 2;
  const other = Array.from({ length: rank - 2 }, (_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...other, headAxis, ...axes, rank - 1];
  const flatten = (t: Tensor) => {
    const p = tf.transpose(t, perm);
    const lead = perm.slice(0, other.length + 1).map((a) => t.shape[a] as number);
    const length = axes.reduce((n, a) => n * (t.shape[a] as number), 1);
    return tf.reshape(p, [...lead, length, t.shape[rank - 1] as number]);
  };
  const qf = tf.mul(flatten(q), 1 / Math.sqrt(args.keyDim));
  const kf = flatten(k);
  const vf = flatten(v);
  const logits = tf.matMul(qf, kf, false, true);
  // Keras's masked Softmax: masked logits become -1e9, and masked weights are zeroed afterwards
  // (a fully masked row gives zeros, not a uniform distribution).
  const attentionWeights = args.mask
    ? tf.where(args.mask, tf.softmax(tf.where(args.mask, logits, tf.scalar(-1e9))), tf.scalar(0))
    : tf.softmax(logits);
  const weights =
    args.dropout > 0 ? dropoutWeights(attentionWeights, args.dropout, args.seed) : attentionWeights;
  let output = tf.matMul(weights, vf);
  // Back to [batch, ...dims, heads, value_dim].
  const outShape = [
    ...other.map((a) => q.shape[a] as number),
    q.shape[headAxis] as number,
    ...axes.map((a) => q.shape[a] as number),
    v.shape[rank - 1] as number,
  ];
  const unflat = tf.reshape(output, outShape);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  output = tf.transpose(unflat, inverse);
  const scoreShape = [
    ...other.map((a) => q.shape[a] as number),
    q.shape[headAxis] as number,
    ...axes.map((a) => q.shape[a] as number),
    ...axes.map((a) => k.shape[a] as number),
  ];
  return { output, scores: tf.reshape(attentionWeights, scoreShape) };
}

/**
 * Keras's `_compute_attention_mask` for the flattened layout: query/value/key masks, the causal
 * mask and an explicit attention mask combined into one boolean mask broadcastable to
 * `[batch, ..., heads, Tq, Tk]`.
 */
function combineMasks(args: {
  queryMask: Tensor | null;
  valueMask: Tensor | null;
  keyMask: Tensor | null;
  attentionMask: Tensor | null;
  causal: boolean;
  queryShape: number[];
  keyShape: number[];
  axes: number[];
}): Tensor | null {
  const { queryShape, keyShape, axes } = args;
  const any = args.queryMask || args.valueMask || args.keyMask || args.attentionMask || args.causal;
  if (!any) return null;
  const fullAttention = axes.length === queryShape.length - 2;
  if (!fullAttention && (args.queryMask || args.valueMask || args.keyMask || args.attentionMask)) {
    throw new Error(
      'MultiHeadAttention masks need attention over every non-batch axis here. ' +
        `Received: attention_axes=(${axes.join(', ')}) for inputs of rank ${queryShape.length}`,
    );
  }
  const batch = queryShape[0] as number;
  const tq = axes.reduce((n, a) => n * (queryShape[a] as number), 1);
  const tk = axes.reduce((n, a) => n * (keyShape[a] as number), 1);
  const bool = (m: Tensor) => (m.dtype === 'bool' ? m : tf.greater(m, 0.5));
  let mask: Tensor | null = null;
  const and = (m: Tensor) => {
    mask = mask ? tf.logicalAnd(mask, m) : m;
  };
  if (args.queryMask) and(tf.reshape(bool(args.queryMask), [batch, tq, 1]));
  if (args.valueMask) and(tf.reshape(bool(args.valueMask), [batch, 1, tk]));
  if (args.keyMask) and(tf.reshape(bool(args.keyMask), [batch, 1, tk]));
  if (args.causal) {
    const rows = tf.reshape(tf.range(0, tq, 1, 'int32'), [tq, 1]);
    const cols = tf.reshape(tf.range(0, tk, 1, 'int32'), [1, tk]);
    and(tf.expandDims(tf.greaterEqual(rows, cols), 0));
  }
  if (args.attentionMask) {
    const m = args.attentionMask;
    if (m.size !== batch * tq * tk && m.size !== tq * tk) {
      throw new Error(
        `MultiHeadAttention expected an attention_mask of shape (${batch}, ${tq}, ${tk}). ` +
          `Received: attention_mask.shape=(${m.shape.join(', ')})`,
      );
    }
    and(tf.reshape(bool(m), [m.size === tq * tk ? 1 : batch, tq, tk]));
  }
  // One axis for the heads: [batch, 1, Tq, Tk] broadcasts over them.
  return tf.expandDims(mask as unknown as Tensor, 1);
}
