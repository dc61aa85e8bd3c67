import type { Config } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import { LSTMCell, type LSTMCellArgs } from './lstm-cell.js';
import { cellArgsOf, layerArgsOf, recurrentLayerConfig } from './recurrent-layer-args.js';
import { RNN, type RNNOptions } from './rnn.js';

export interface LSTMArgs extends LSTMCellArgs, RNNOptions {}

/** Keras's LSTM layer: an RNN over an LSTMCell named `lstm_cell`, with the cell's options flattened in. */
export class LSTM extends RNN {
  static override className = 'LSTM';
  declare readonly cell: LSTMCell;

  constructor(args: LSTMArgs) {
    super({ ...layerArgsOf(args), cell: new LSTMCell({ ...cellArgsOf(args), name: 'lstm_cell' }) });
  }

  override getConfig(): Config {
    return recurrentLayerConfig(this, { unit_forget_bias: this.cell.unitForgetBias });
  }

  static override fromConfig<T>(this: new (args: never) => T, config: Config): T {
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor(configToArgs(config));
  }
}
