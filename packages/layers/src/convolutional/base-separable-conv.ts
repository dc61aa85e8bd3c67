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
import { convChannelsLast, depthwiseChannelsLast, inChannelsLast } from './conv-ops.js';
import {
  channelAxis,
  computeConvOutputShape,
  type DataFormat,
  formatShape,
  normalizeDataFormat,
  standardizePadding,
  standardizeTuple,
} from './conv-utils.js';

export interface SeparableConvArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same' | string;
  dataFormat?: DataFormat | string | null;
  dilationRate?: number | number[];
  depthMultiplier?: number;
  activation?: ActivationIdentifier | null;
  useBias?: boolean;
  depthwiseInitializer?: initializers.InitializerIdentifier | null;
  pointwiseInitializer?: initializers.InitializerIdentifier | null;
  biasInitializer?: initializers.InitializerIdentifier | null;
  depthwiseRegularizer?: regularizers.RegularizerIdentifier | null;
  pointwiseRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  depthwiseConstraint?: constraints.ConstraintIdentifier | null;
  pointwiseConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
}

/**
 * Keras's `BaseSeparableConv`: a depthwise convolution (strides, padding and dilation apply here)
 * followed by a 1x1 pointwise convolution mixing the channels, then bias and activation.
 */
export abstract class BaseSeparableConv extends Layer {
  readonly rank: number;
  readonly depthMultiplier: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer | null;
  readonly pointwiseInitializer: Initializer | null;
  readonly biasInitializer: Initializer | null;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  depthwiseKernel: LayerVariable | null = null;
  pointwiseKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  protected constructor(args: SeparableConvArgs, rank: number) {
    super(args);
    this.rank = rank;
    const depthMultiplier = args.depthMultiplier ?? 1;
    if (!Number.isInteger(depthMultiplier) || depthMultiplier <= 0) {
      throw new Error(
        `Invalid value for argument \`depth_multiplier\`. Expected a strictly positive value. Received depth_multiplier=${depthMultiplier}.`,
      );
    }
    this.depthMultiplier = depthMultiplier;
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
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(
        `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. ` +
          `Received: strides=${formatShape(this.strides)} and dilation_rate=${formatShape(this.dilationRate)}`,
      );
    }
    this.dataFormat = normalizeDataFormat(args.dataFormat);
    this.activation = activations.get(args.activation ?? null);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = initializers.get(args.depthwiseInitializer ?? 'glorot_uniform');
    this.pointwiseInitializer = initializers.get(args.pointwiseInitializer ?? 'glorot_uniform');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = regularizers.get(args.depthwiseRegularizer ?? null);
    this.pointwiseRegularizer = regularizers.get(args.pointwiseRegularizer ?? null);
    this.biasRegularizer = regularizers.get(args.biasRegularizer ?? null);
    this.depthwiseConstraint = constraints.get(
      args.depthwiseConstraint ?? null,
    ) as Constraint | null;
    this.pointwiseConstraint = constraints.get(
      args.pointwiseConstraint ?? null,
    ) as Constraint | null;
    this.biasConstraint = constraints.get(args.biasConstraint ?? null) as Constraint | null;
    this.inputSpec = new InputSpec({ minNdim: rank + 2 });
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    this.computeOutputShape(shape);
    const axis = channelAxis(this.dataFormat, shape.length);
    const channels = shape[axis];
    if (channels === null || channels === undefined) {
      throw new Error(
        `The channel dimension of the inputs to layer "${this.name}" should be defined. ` +
          `Received: input_shape=${formatShape(shape)}`,
      );
    }
    this.inputSpec = new InputSpec({ minNdim: this.rank + 2, axes: { [axis]: channels } });
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel',
      shape: [
        ...new Array<number>(this.rank).fill(1),
        channels * this.depthMultiplier,
        this.filters,
      ],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
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
    const depthwise = (this.depthwiseKernel as LayerVariable).read();
    const pointwise = (this.pointwiseKernel as LayerVariable).read();
    const bias = this.bias ? this.bias.read() : null;
    const fused = activations.fusedActivationName(this.activation);
    return tf.tidy(() => {
      const y = inChannelsLast(x, this.dataFormat, (xl) => {
        const d = depthwiseChannelsLast(xl, depthwise, {
          strides: this.strides,
          padding: this.padding,
          dilationRate: this.dilationRate,
        });
        return convChannelsLast(d, pointwise, {
          strides: new Array<number>(this.rank).fill(1),
          padding: 'valid',
          dilationRate: new Array<number>(this.rank).fill(1),
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
      depth_multiplier: this.depthMultiplier,
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: initializers.serialize(this.depthwiseInitializer),
      pointwise_initializer: initializers.serialize(this.pointwiseInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      depthwise_regularizer: regularizers.serialize(this.depthwiseRegularizer),
      pointwise_regularizer: regularizers.serialize(this.pointwiseRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      depthwise_constraint: constraints.serialize(this.depthwiseConstraint),
      pointwise_constraint: constraints.serialize(this.pointwiseConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }
}
