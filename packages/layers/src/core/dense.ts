import * as tf from '@tensorflow/tfjs-core';
import type { ActivationFn } from '../activations/index.js';
import * as activations from '../activations/index.js';
import type { Constraint } from '../constraints/constraint.js';
import * as constraints from '../constraints/index.js';
import { InputSpec } from '../engine/input-spec.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import * as initializers from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { checkPositiveInt, lastDim } from './validation.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: activations.ActivationIdentifier | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier;
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
}

/** `activation(dot(x, kernel) + bias)` on the last axis of `x`. */
export class Dense extends Layer {
  static override className = 'Dense';
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  private readonly fused: ReturnType<typeof activations.fusedActivationName>;

  constructor(args: DenseArgs) {
    super(args);
    this.units = checkPositiveInt('units', args?.units);
    this.activation = activations.get(args.activation ?? null);
    this.fused = activations.fusedActivationName(this.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(
      args.kernelInitializer ?? 'glorot_uniform',
    ) as Initializer;
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros') as Initializer;
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer ?? null);
    this.biasRegularizer = regularizers.get(args.biasRegularizer ?? null);
    this.kernelConstraint = constraints.get(args.kernelConstraint ?? null);
    this.biasConstraint = constraints.get(args.biasConstraint ?? null);
    this.inputSpec = new InputSpec({ minNdim: 2 });
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const inputDim = lastDim(this.name, inputShape);
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    this.inputSpec = new InputSpec({ minNdim: 2, axes: { [-1]: inputDim } });
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    // Keras promotes integer inputs to the float compute dtype in the matmul.
    const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
    const kernel = (this.kernel as LayerVariable).read();
    const bias = this.bias?.read();
    const out = tf.tidy(() => {
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1] as number]);
      let y: tf.Tensor;
      if (this.fused !== undefined) {
        y = tf.fused.matMul({
          a: flat as tf.Tensor2D,
          b: kernel as tf.Tensor2D,
          bias,
          activation: this.fused,
        });
      } else {
        const z = tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D);
        y = this.activation(bias ? tf.add(z, bias) : z);
      }
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
    if (x !== input) x.dispose();
    return out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
      quantization_config: null,
    };
  }
}
