import type { Config } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import { ConvLSTMCell, type ConvLSTMCellArgs } from './conv-lstm-cell.js';
import { cellArgsOf, layerArgsOf, recurrentLayerConfig } from './recurrent-layer-args.js';
import { RNN, type RNNOptions } from './rnn.js';

export interface ConvLSTMArgs extends Omit<ConvLSTMCellArgs, 'rank'>, RNNOptions {}

/** Shared body of ConvLSTM1D/2D: an RNN over a ConvLSTMCell, its options flattened in. */
abstract class ConvLSTM extends RNN {
  declare readonly cell: ConvLSTMCell;

  protected constructor(rank: 1 | 2, args: ConvLSTMArgs) {
    super({
      ...layerArgsOf(args),
      cell: new ConvLSTMCell({ ...cellArgsOf(args), rank, name: 'conv_lstm_cell' }),
    });
  }

  override getConfig(): Config {
    const { units: _units, ...config } = recurrentLayerConfig(this, {
      filters: this.cell.filters,
      kernel_size: this.cell.kernelSize,
      strides: this.cell.strides,
      padding: this.cell.padding,
      data_format: this.cell.dataFormat,
      dilation_rate: this.cell.dilationRate,
      unit_forget_bias: this.cell.unitForgetBias,
    });
    return config;
  }

  static override fromConfig<T>(this: new (args: never) => T, config: Config): T {
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor(configToArgs(config));
  }
}

/** Keras's ConvLSTM1D: inputs `(batch, time, steps, channels)`. */
export class ConvLSTM1D extends ConvLSTM {
  static override className = 'ConvLSTM1D';
  constructor(args: ConvLSTMArgs) {
    super(1, args);
  }
}

/** Keras's ConvLSTM2D: inputs `(batch, time, rows, cols, channels)`. */
export class ConvLSTM2D extends ConvLSTM {
  static override className = 'ConvLSTM2D';
  constructor(args: ConvLSTMArgs) {
    super(2, args);
  }
}
