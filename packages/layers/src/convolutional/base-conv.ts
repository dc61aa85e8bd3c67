import * as tf from '@tensorflow/tfjs-core';
import type { ActivationFn, ActivationIdentifier } from '../activations/index.js';
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
import { convChannelsLast, inChannelsLast } from './conv-ops.js';
import {
  type ConvPadding,
  causalPadding,
  channelAxis,
  computeConvOutputShape,
  type DataFormat,
  formatShape,
  normalizeDataFormat,
  standardizePadding,
  standardizeTuple,
} from './conv-utils.js';

export interface ConvArgs extends LayerArgs {
  /** Number of output channels. */
  filters: number;
  /** Window size: an int or one int per spatial dimension. */
  kernelSize: number | number[];
  strides?: number | number[];
  /** `'valid'`, `'same'` (TF-style: the odd padding element goes after), or `'causal'` (Conv1D). */
  padding?: ConvPadding | string;
  dataFormat?: DataFormat | string | null;
  dilationRate?: number | number[];
  /** Split channels into this many independent convolutions. */
  groups?: number;
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier | null;
  biasInitializer?: initializers.InitializerIdentifier | null;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
}

/** Keras's `BaseConv`: N-D convolution (cross-correlation) + bias + activation. */
export abstract class BaseConv extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly groups: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer | null;
  readonly biasInitializer: Initializer | null;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  protected constructor(args: ConvArgs, rank: number) {
    super(args);
    this.rank = rank;
    const { filters } = args;
    if (typeof filters !== 'number' || !Number.isInteger(filters) || filters <= 0) {
      throw new Error(
        `Invalid value for argument \`filters\`. Expected a strictly positive integer. Received filters=${String(filters)}.`,
      );
    }
    this.filters = filters;
    if (args.kernelSize === undefined || args.kernelSize === null) {
      throw new Error(
        `Layer ${this.name} needs a \`kernel_size\` (an int or ${rank} ints). Received: kernel_size=None`,
      );
    }
    this.groups = args.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups <= 0) {
      throw new Error(
        `The number of groups must be a positive integer. Received: groups=${this.groups}.`,
      );
    }
    if (filters % this.groups !== 0) {
      throw new Error(
        `The number of filters must be evenly divisible by the number of groups. Received: groups=${this.groups}, filters=${filters}.`,
      );
    }
    this.kernelSize = standardizeTuple(args.kernelSize, rank, 'kernel_size');
    this.strides = standardizeTuple(args.strides ?? 1, rank, 'strides');
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, rank, 'dilation_rate');
    this.padding = standardizePadding(args.padding ?? 'valid', { allowCausal: rank === 1 });
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(
        `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. ` +
          `Received: strides=${formatShape(this.strides)} and dilation_rate=${formatShape(this.dilationRate)}`,
      );
    }
    this.activation = activations.get(args.activation ?? null);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer ?? null);
    this.biasRegularizer = regularizers.get(args.biasRegularizer ?? null);
    this.kernelConstraint = constraints.get(args.kernelConstraint ?? null) as Constraint | null;
    this.biasConstraint = constraints.get(args.biasConstraint ?? null) as Constraint | null;
    this.inputSpec = new InputSpec({ minNdim: rank + 2 });
  }

  /** The input channel count, which must be known to build. */
  protected inputChannels(inputShape: Shape): number {
    const axis = channelAxis(this.dataFormat, inputShape.length);
    const channels = inputShape[axis];
    if (channels === null || channels === undefined) {
      throw new Error(
        `The channel dimension of the inputs to layer "${this.name}" should be defined ` +
          `(data_format=${this.dataFormat}). Received: input_shape=${formatShape(inputShape)}`,
      );
    }
    return channels;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    this.computeOutputShape(shape);
    const channels = this.inputChannels(shape);
    if (channels % this.groups !== 0) {
      throw new Error(
        `The number of input channels must be evenly divisible by the number of groups. ` +
          `Received groups=${this.groups}, but the input has ${channels} channels ` +
          `(full input shape is ${formatShape(shape)}).`,
      );
    }
    this.inputSpec = new InputSpec({
      minNdim: this.rank + 2,
      axes: { [channelAxis(this.dataFormat, this.rank + 2)]: channels },
    });
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels / this.groups, this.filters],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    super.build(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    // Shape arithmetic only: rejects inputs too small for the window before a kernel runs.
    this.computeOutputShape(x.shape);
    const kernel = (this.kernel as LayerVariable).read();
    const bias = this.bias ? this.bias.read() : null;
    const fused = activations.fusedActivationName(this.activation);
    return tf.tidy(() => {
      const y = inChannelsLast(x, this.dataFormat, (xl) => {
        let input = xl;
        let padding = this.padding;
        if (padding === 'causal') {
          const [left] = causalPadding(
            this.kernelSize[0] as number,
            this.dilationRate[0] as number,
          );
          input = tf.pad(xl, [
            [0, 0],
            [left, 0],
            [0, 0],
          ]);
          padding = 'valid';
        }
        return convChannelsLast(input, kernel, {
          strides: this.strides,
          padding: padding as 'valid' | 'same',
          dilationRate: this.dilationRate,
          groups: this.groups,
          bias,
          activation: fused ?? 'linear',
        });
      });
      return fused ? y : this.activation(y);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return computeConvOutputShape(inputShape as Shape, {
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate,
      layerName: this.name,
    });
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      groups: this.groups,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }
}
