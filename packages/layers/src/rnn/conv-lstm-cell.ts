import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import {
  convOutputLength,
  normalizeDataFormat,
  standardizePadding,
  standardizeTuple,
} from '../convolutional/conv-utils.js';
import type { Config, Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { Initializer } from '../initializers/initializer.js';
import { createDropoutMask } from './dropout-mask.js';
import { type CellWeightArgs, GateCell } from './gate-cell.js';
import type { SequencePlan } from './rnn-cell.js';

export interface ConvLSTMCellArgs extends Omit<CellWeightArgs, 'units'> {
  /** Spatial rank: 1 (ConvLSTM1D) or 2 (ConvLSTM2D). */
  rank: 1 | 2;
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: 'valid' | 'same';
  dataFormat?: 'channels_last' | 'channels_first' | null;
  dilationRate?: number | number[];
  unitForgetBias?: boolean;
}

/** `[init(f), ones(f), init(2f)]` for the four gate biases of `filters` each. */
class ConvUnitForgetBias extends Initializer {
  static override className = 'ConvUnitForgetBias';
  constructor(
    private readonly base: Initializer,
    private readonly filters: number,
  ) {
    super();
  }
  call(): Tensor {
    const f = this.filters;
    return tf.tidy(() =>
      tf.concat([this.base.call([f]), tf.ones([f]), this.base.call([2 * f])], 0),
    );
  }
}

/**
 * Keras's ConvLSTMCell (1-D and 2-D, channels_last): the LSTM gates are convolutions. Kernel
 * `kernel_size + (input_channels, 4 filters)`, recurrent kernel `kernel_size + (filters,
 * 4 filters)` applied with 'same' padding and stride 1, bias (4 filters); states [h, c] of the
 * input convolution's output shape.
 */
export class ConvLSTMCell extends GateCell {
  static override className = 'ConvLSTMCell';
  readonly rank: 1 | 2;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: 'channels_last';
  readonly dilationRate: number[];
  readonly unitForgetBias: boolean;
  readonly stateSize: number[];
  readonly outputSize: number;
  readonly stepRank: number;

  constructor(args: ConvLSTMCellArgs) {
    super({ ...args, units: args.filters }, { activation: 'tanh', recurrentActivation: 'sigmoid' });
    this.rank = args.rank;
    this.filters = args.filters;
    this.kernelSize = standardizeTuple(args.kernelSize, this.rank, 'kernel_size');
    this.strides = standardizeTuple(args.strides ?? 1, this.rank, 'strides');
    this.padding = standardizePadding(args.padding ?? 'valid') as 'valid' | 'same';
    const format = normalizeDataFormat(args.dataFormat ?? null);
    if (format !== 'channels_last') {
      throw new Error(
        `ConvLSTM here supports data_format='channels_last'. Received: data_format=${format}`,
      );
    }
    this.dataFormat = format;
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, this.rank, 'dilation_rate');
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.stateSize = [this.filters, this.filters];
    this.outputSize = this.filters;
    this.stepRank = this.rank + 2;
  }

  protected gateCount(): number {
    return 4;
  }

  protected biasShape(): number[] {
    return [4 * this.filters];
  }

  protected override biasInitializerForBuild(): Initializer {
    return this.unitForgetBias
      ? new ConvUnitForgetBias(this.biasInitializer, this.filters)
      : this.biasInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape[shape.length - 1];
    if (shape.length !== this.rank + 2 || typeof channels !== 'number') {
      throw new Error(
        `ConvLSTMCell expects step inputs of rank ${this.rank + 2} with known channels. ` +
          `Received: input_shape=(${shape.join(', ')})`,
      );
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels, 4 * this.filters],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [...this.kernelSize, this.filters, 4 * this.filters],
      initializer: this.recurrentInitializer,
      regularizer: this.recurrentRegularizer,
      constraint: this.recurrentConstraint,
    });
    this.bias = this.useBias
      ? this.addWeight({
          name: 'bias',
          shape: this.biasShape(),
          initializer: this.biasInitializerForBuild(),
          regularizer: this.biasRegularizer,
          constraint: this.biasConstraint,
        })
      : null;
    this.built = true;
  }

  stateShapes(stepInputShape: Shape): Shape[] {
    const spatial = stepInputShape.slice(1, -1).map((d, i) =>
      convOutputLength(d, {
        kernelSize: this.kernelSize[i] as number,
        stride: this.strides[i] as number,
        padding: this.padding,
        dilation: this.dilationRate[i] as number,
      }),
    );
    const shape: Shape = [stepInputShape[0] ?? null, ...spatial, this.filters];
    return [shape, [...shape]];
  }

  private conv(
    x: Tensor,
    w: Tensor,
    opts: { strides: number[]; padding: 'valid' | 'same'; dilation: number[] },
  ): Tensor {
    if (this.rank === 1) {
      return tf.conv1d(
        x as tf.Tensor3D,
        w as tf.Tensor3D,
        opts.strides[0] as number,
        opts.padding,
        'NWC',
        opts.dilation[0] as number,
      );
    }
    return tf.conv2d(
      x as tf.Tensor4D,
      w as tf.Tensor4D,
      opts.strides as [number, number],
      opts.padding,
      'NHWC',
      opts.dilation as [number, number],
    );
  }

  planSequence(args: { sequences: Tensor; training: boolean }): SequencePlan {
    const x = args.sequences;
    const perm = [1, 0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
    const axis = this.rank + 1;
    const kernels = tf.split((this.kernel as LayerVariable).read(), 4, axis);
    const recurrentKernels = tf.split((this.recurrentKernel as LayerVariable).read(), 4, axis);
    const biases = this.bias ? tf.split(this.bias.read(), 4, 0) : null;
    const inputMask =
      args.training && this.dropout > 0
        ? createDropoutMask({
            shape: [x.shape[0] as number, ...x.shape.slice(2)],
            rate: this.dropout,
            seed: this.seed,
          })
        : null;
    const stateShape = (
      this.stateShapes([x.shape[0] as number, ...x.shape.slice(2)])[0] as number[]
    ).slice();
    const recurrentMask =
      args.training && this.recurrentDropout > 0
        ? createDropoutMask({
            shape: stateShape,
            rate: this.recurrentDropout,
            seed: this.seed === null ? null : this.seed + 1,
          })
        : null;
    const inputConv = { strides: this.strides, padding: this.padding, dilation: this.dilationRate };
    const recurrentConv = {
      strides: this.strides.map(() => 1),
      padding: 'same' as const,
      dilation: this.strides.map(() => 1),
    };
    const act = this.activation;
    const recAct = this.recurrentActivation;
    const gate = (k: number, xt: Tensor, h: Tensor) => {
      let z = tf.add(
        this.conv(xt, kernels[k] as Tensor, inputConv),
        this.conv(h, recurrentKernels[k] as Tensor, recurrentConv),
      );
      if (biases) z = tf.add(z, biases[k] as Tensor);
      return z;
    };
    return {
      inputs: tf.transpose(x, perm),
      step: (xt, states) => {
        const [h, c] = states as [Tensor, Tensor];
        const xIn = inputMask ? tf.mul(xt, inputMask) : xt;
        const hIn = recurrentMask ? tf.mul(h, recurrentMask) : h;
        const i = recAct(gate(0, xIn, hIn));
        const f = recAct(gate(1, xIn, hIn));
        const g = act(gate(2, xIn, hIn));
        const o = recAct(gate(3, xIn, hIn));
        const cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
        const hNew = tf.mul(o, act(cNew));
        return { output: hNew, states: [hNew, cNew] };
      },
    };
  }

  override getConfig(): Config {
    const { units: _units, ...weights } = super.getConfig();
    return {
      ...weights,
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate,
      unit_forget_bias: this.unitForgetBias,
    };
  }
}
