import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import * as constraints from '../constraints/index.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import * as initializers from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { checkPositiveInt } from './validation.js';

export interface EmbeddingArgs extends LayerArgs {
  inputDim: number;
  outputDim: number;
  embeddingsInitializer?: initializers.InitializerIdentifier;
  embeddingsRegularizer?: regularizers.RegularizerIdentifier | null;
  embeddingsConstraint?: constraints.ConstraintIdentifier | null;
  /** Id 0 is padding: the layer emits a mask that is false there. */
  maskZero?: boolean;
}

/** Maps integer ids in `[0, inputDim)` to dense vectors of size `outputDim`. */
export class Embedding extends Layer {
  static override className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  readonly maskZero: boolean;
  embeddings: LayerVariable | null = null;

  constructor(args: EmbeddingArgs) {
    // `inputDim` means the vocabulary here, not Keras 2's input-shape shorthand.
    const { inputDim, ...rest } = args ?? ({} as EmbeddingArgs);
    super(rest);
    this.inputDim = checkPositiveInt('inputDim', inputDim);
    this.outputDim = checkPositiveInt('outputDim', args.outputDim);
    this.embeddingsInitializer = initializers.get(
      args.embeddingsInitializer ?? 'uniform',
    ) as Initializer;
    this.embeddingsRegularizer = regularizers.get(args.embeddingsRegularizer ?? null);
    this.embeddingsConstraint = constraints.get(args.embeddingsConstraint ?? null);
    this.maskZero = args.maskZero ?? false;
    this.supportsMasking = this.maskZero;
  }

  override build(_inputShape: Shape | Shape[]): void {
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const ids = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
    this.checkIds(ids);
    const table = (this.embeddings as LayerVariable).read();
    const out = tf.tidy(() => {
      const flat = tf.reshape(ids, [-1]);
      return tf.reshape(tf.gather(table, flat), [...ids.shape, this.outputDim]);
    });
    if (ids !== x) ids.dispose();
    return out;
  }

  /**
   * Keras requires ids in `[0, inputDim)`; a gather would silently return zeros (or garbage)
   * for others. One min/max read per call keeps the check to a single small sync.
   */
  private checkIds(ids: tf.Tensor): void {
    // WebGPU in Node has no synchronous read; there the ids go unchecked, as TF leaves them on
    // a GPU (where an out-of-range id gathers zeros).
    if (ids.size === 0 || tf.getBackend() === 'webgpu') return;
    const bounds = tf.tidy(() => tf.stack([tf.min(ids), tf.max(ids)]));
    const [lo, hi] = bounds.dataSync() as Int32Array;
    bounds.dispose();
    const bad = (lo as number) < 0 ? lo : (hi as number) >= this.inputDim ? hi : undefined;
    if (bad !== undefined) {
      throw new Error(
        `Embedding layer "${this.name}" expects ids in [0, ${this.inputDim}) (inputDim=${this.inputDim}). ` +
          `Received: id ${bad}`,
      );
    }
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | null {
    if (!this.maskZero) return null;
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.notEqual(x, 0);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape), this.outputDim];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: initializers.serialize(this.embeddingsInitializer),
      embeddings_regularizer: regularizers.serialize(this.embeddingsRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      embeddings_constraint: constraints.serialize(this.embeddingsConstraint),
      mask_zero: this.maskZero,
      quantization_config: null,
    };
  }
}
