import type { Config } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import { cellArgsOf, layerArgsOf, recurrentLayerConfig } from './recurrent-layer-args.js';
import { RNN, type RNNOptions } from './rnn.js';
import { SimpleRNNCell, type SimpleRNNCellArgs } from './simple-rnn-cell.js';

export interface SimpleRNNArgs extends SimpleRNNCellArgs, RNNOptions {}

/** Keras's SimpleRNN layer: an RNN over a SimpleRNNCell named `simple_rnn_cell`. */
export class SimpleRNN extends RNN {
  static override className = 'SimpleRNN';
  declare readonly cell: SimpleRNNCell;

  constructor(args: SimpleRNNArgs) {
    super({
      ...layerArgsOf(args),
      cell: new SimpleRNNCell({ ...cellArgsOf(args), name: 'simple_rnn_cell' }),
    });
  }

  override getConfig(): Config {
    const { recurrent_activation: _unused, ...config } = recurrentLayerConfig(this, {});
    return config;
  }

  static override fromConfig<T>(this: new (args: never) => T, config: Config): T {
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor(configToArgs(config));
  }
}
