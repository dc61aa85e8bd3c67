import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { applyAttentionScores, causalMask } from './attention-math.js';

export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar that multiplies the scores (Keras default false). */
  useScale?: boolean;
  /** `'dot'` (query . key) or `'concat'` (sum(tanh(query + key))). */
  scoreMode?: 'dot' | 'concat';
  /** Dropout on the attention weights, in training only. */
  dropout?: number;
  seed?: number | null;
}

/** Call options of the attention layers (Keras's call keyword arguments). */
export interface AttentionCallArgs extends CallArgs {
  returnAttentionScores?: boolean;
  useCausalMask?: boolean;
}

type AnyTensor = Tensor | SymbolicTensor;

/**
 * Keras's Attention (Luong-style): `softmax(scores(query, key)) @ value` for inputs
 * `[query, value]` or `[query, value, key]`; masks `[queryMask, valueMask]`.
 */
export class Attention extends Layer {
  static override className = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';
  readonly dropout: number;
  readonly seed: number | null;
  scale: LayerVariable | null = null;
  concatScoreWeight: LayerVariable | null = null;
  /** Set while a symbolic call is shaped, so computeOutputShape knows about the scores output. */
  private returnScoresForShape = false;

  constructor(args: AttentionArgs = {}) {
    super(args);
    this.useScale = args.useScale ?? false;
    const scoreMode = args.scoreMode ?? 'dot';
    if (scoreMode !== 'dot' && scoreMode !== 'concat') {
      throw new Error(
        `Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: score_mode=${String(scoreMode)}`,
      );
    }
    this.scoreMode = scoreMode;
    const dropout = args.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
      throw new Error(
        `Received an invalid value for "dropout", expected a float in [0, 1). Received: dropout=${String(dropout)}`,
      );
    }
    this.dropout = dropout;
    this.seed = args.seed ?? null;
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
    this.validateInputs(inputs, args.mask);
    this.returnScoresForShape = args.returnAttentionScores === true;
    try {
      return super.apply(inputs as Tensor[], args);
    } finally {
      this.returnScoresForShape = false;
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    this.buildScoreWeights(inputShape as Shape[]);
    super.build(inputShape);
  }

  /** Creates the score weights (Attention: scalars; AdditiveAttention: a vector). */
  protected buildScoreWeights(_inputShapes: Shape[]): void {
    if (this.useScale) {
      this.scale = this.addWeight({ name: 'scale', shape: [], initializer: 'ones' });
    }
    if (this.scoreMode === 'concat') {
      this.concatScoreWeight = this.addWeight({
        name: 'concat_score_weight',
        shape: [],
        initializer: 'ones',
      });
    }
  }

  /** `(batch, Tq, Tv)` scores. */
  protected calculateScores(query: Tensor, key: Tensor): Tensor {
    const scale = this.scale ? this.scale.read() : null;
    if (this.scoreMode === 'dot') {
      const scores = tf.matMul(query, key, false, true);
      return scale ? tf.mul(scores, scale) : scores;
    }
    let sum = tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3));
    if (scale) sum = tf.mul(scale, sum);
    return tf.mul((this.concatScoreWeight as LayerVariable).read(), tf.sum(tf.tanh(sum), -1));
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const list = inputs as Tensor[];
    const [query, value] = list as [Tensor, Tensor];
    const key = list[2] ?? value;
    const masks = Array.isArray(args.mask) ? args.mask : null;
    const queryMask = masks?.[0] ?? null;
    const valueMask = masks?.[1] ?? null;
    const {
      returnAttentionScores = false,
      useCausalMask = false,
      training,
    } = args as AttentionCallArgs;
    return tf.tidy(() => {
      const scores = this.calculateScores(query, key);
      let scoresMask: Tensor | null = valueMask
        ? tf.expandDims(tf.cast(valueMask, 'bool'), -2)
        : null;
      if (useCausalMask) {
        const causal = causalMask(
          scores.shape[scores.rank - 2] as number,
          scores.shape[scores.rank - 1] as number,
        );
        scoresMask = scoresMask ? tf.logicalAnd(scoresMask, causal) : causal;
      }
      const { output, weights } = applyAttentionScores({
        scores,
        value,
        scoresMask,
        dropout: training === true ? this.dropout : 0,
        seed: this.seed,
      });
      const masked = queryMask
        ? tf.mul(output, tf.expandDims(tf.cast(queryMask, output.dtype), -1))
        : output;
      return returnAttentionScores ? [masked, weights] : masked;
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
    const output: Shape = [...queryShape.slice(0, -1), valueShape[valueShape.length - 1] ?? null];
    if (!this.returnScoresForShape) return output;
    return [output, [...queryShape.slice(0, -1), keyShape[keyShape.length - 2] ?? null]];
  }

  private validateInputs(inputs: AnyTensor | AnyTensor[], mask: CallArgs['mask']): void {
    const name = (this.constructor as typeof Layer).className;
    if (!Array.isArray(inputs)) {
      throw new Error(
        `${name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. ` +
          `Received: a single tensor of shape (${inputs.shape.join(', ')})`,
      );
    }
    if (inputs.length < 2 || inputs.length > 3) {
      throw new Error(
        `${name} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. ` +
          `Received length: ${inputs.length}.`,
      );
    }
    if (
      mask !== undefined &&
      mask !== null &&
      (!Array.isArray(mask) || mask.length < 2 || mask.length > 3)
    ) {
      throw new Error(
        `${name} layer mask must be a list of length 2 or 3, namely [query_mask, value_mask]. ` +
          `Received: ${Array.isArray(mask) ? `a list of length ${mask.length}` : 'a single tensor'}`,
      );
    }
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      use_scale: this.useScale,
      score_mode: this.scoreMode,
      dropout: this.dropout,
      seed: this.seed,
    };
  }
}
