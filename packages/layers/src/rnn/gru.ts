import type { Config } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import { GRUCell, type GRUCellArgs } from './gru-cell.js';
import { cellArgsOf, layerArgsOf, recurrentLayerConfig } from './recurrent-layer-args.js';
import { RNN, type RNNOptions } from './rnn.js';

export interface GRUArgs extends GRUCellArgs, RNNOptions {}

/**
 * Keras's GRU layer: an RNN over a GRUCell named `gru_cell`. Keras 3 default `resetAfter: true`
 * (bias (2, 3 units)); `resetAfter: false` reads Keras 2 / TF.js weights.
 */
export class GRU extends RNN {
  static override className = 'GRU';
  declare readonly cell: GRUCell;

  constructor(args: GRUArgs) {
    super({ ...layerArgsOf(args), cell: new GRUCell({ ...cellArgsOf(args), name: 'gru_cell' }) });
  }

  override getConfig(): Config {
    return recurrentLayerConfig(this, { reset_after: this.cell.resetAfter });
  }

  static override fromConfig<T>(this: new (args: never) => T, config: Config): T {
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor(configToArgs(config));
  }
}
