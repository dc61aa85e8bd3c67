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
import { inChannelsLast } from './conv-ops.js';
import { convTransposeChannelsLast } from './conv-transpose-ops.js';
import {
  assembleShape,
  channelAxis,
  convTransposeOutputLength,
  type DataFormat,
  formatShape,
  normalizeDataFormat,
  spatialDims,
  standardizePadding,
  standardizeTuple,
} from './conv-utils.js';

export interface ConvTransposeArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same' | string;
  /** Extra rows/columns at the end of each output axis; each must be smaller than its stride. */
  outputPadding?: number | number[] | null;
  dataFormat?: DataFormat | string | null;
  dilationRate?: number | number[];
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  kernelInitializer?: initializers.InitializerIdentifier | null;
  biasInitializer?: initializers.InitializerIdentifier | null;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
}

/**
 * Keras's `BaseConvTranspose`: the transpose (gradient) of a convolution. The kernel has Keras's
 * layout `[...kernelSize, filters, inputChannels]`.
 */
export abstract class BaseConvTranspose extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly outputPadding: number[] | null;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
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

  protected constructor(args: ConvTransposeArgs, rank: number) {
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
    this.kernelSize = standardizeTuple(args.kernelSize, rank, 'kernel_size');
    this.strides = standardizeTuple(args.strides ?? 1, rank, 'strides');
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, rank, 'dilation_rate');
    this.padding = standardizePadding(args.padding ?? 'valid') as 'valid' | 'same';
    this.outputPadding =
      args.outputPadding === null || args.outputPadding === undefined
        ? null
        : standardizeTuple(args.outputPadding, rank, 'output_padding', { allowZero: true });
    this.outputPadding?.forEach((op, i) => {
      if (op >= (this.strides[i] as number)) {
        throw new Error(
          `\`output_padding\` must be strictly less than \`strides\` for all dimensions. At dimension ${i}, ` +
            `\`output_padding\` is ${op} but \`strides\` is ${this.strides[i]}. ` +
            `Received: output_padding=${formatShape(this.outputPadding ?? [])}, strides=${formatShape(this.strides)}`,
        );
      }
    });
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(
        `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. ` +
          `Received: strides=${formatShape(this.strides)} and dilation_rate=${formatShape(this.dilationRate)}`,
      );
    }
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    this.activation = activations.get(args.activation ?? null);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer ?? null);
    this.biasRegularizer = regularizers.get(args.biasRegularizer ?? null);
    this.kernelConstraint = constraints.get(args.kernelConstraint ?? null) as Constraint | null;
    this.biasConstraint = constraints.get(args.biasConstraint ?? null) as Constraint | null;
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axis = channelAxis(this.dataFormat, shape.length);
    const channels = shape[axis];
    if (channels === null || channels === undefined) {
      throw new Error(
        `The channel dimension of the inputs to layer "${this.name}" should be defined. ` +
          `Received: input_shape=${formatShape(shape)}`,
      );
    }
    this.computeOutputShape(shape);
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [axis]: channels } });
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, this.filters, channels],
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
      const y = inChannelsLast(x, this.dataFormat, (xl) =>
        convTransposeChannelsLast(xl, kernel, {
          strides: this.strides,
          padding: this.padding,
          outputPadding: this.outputPadding,
          dilationRate: this.dilationRate,
          bias,
          activation: fused ?? 'linear',
        }),
      );
      return fused ? y : this.activation(y);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length !== this.rank + 2) {
      throw new Error(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=${this.rank + 2}, ` +
          `found ndim=${shape.length}. Full shape received: ${formatShape(shape)}`,
      );
    }
    const spatial = spatialDims(shape, this.dataFormat).map((len, i) =>
      convTransposeOutputLength(len, {
        kernelSize: this.kernelSize[i] as number,
        stride: this.strides[i] as number,
        padding: this.padding,
        outputPadding: this.outputPadding ? (this.outputPadding[i] as number) : null,
        dilation: this.dilationRate[i] as number,
      }),
    );
    return assembleShape(shape[0] ?? null, spatial, this.filters, this.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      output_padding: this.outputPadding ? [...this.outputPadding] : null,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
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
