import type { Config } from '../engine/types.js';
import * as regularizers from '../regularizers/index.js';
import { cellWeightConfig, type GateCell } from './gate-cell.js';
import type { RNN } from './rnn.js';

/** Options that belong to the RNN layer itself; everything else configures the cell. */
const LAYER_KEYS = [
  'name',
  'trainable',
  'dtype',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'inputDim',
  'activityRegularizer',
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'zeroOutputForMask',
] as const;

/** The RNN-level options of LSTM/GRU/SimpleRNN arguments. */
export function layerArgsOf<T extends object>(args: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if ((LAYER_KEYS as readonly string[]).includes(k)) out[k] = v;
  }
  return out;
}

/** The cell-level options (Keras passes dtype and trainable to the cell too). */
export function cellArgsOf<T extends object>(args: T): T & { units: number } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (!(LAYER_KEYS as readonly string[]).includes(k) || k === 'dtype' || k === 'trainable')
      out[k] = v;
  }
  delete out.name;
  return out as T & { units: number };
}

/** Keras 3's LSTM/GRU/SimpleRNN `get_config()`: the RNN's keys without `cell`, then the cell's. */
export function recurrentLayerConfig(layer: RNN & { cell: GateCell }, extra: Config): Config {
  const { cell: _cell, ...base } = layer.getRNNConfig();
  return {
    ...base,
    ...cellWeightConfig(layer.cell),
    activity_regularizer: regularizers.serialize(layer.activityRegularizer),
    ...extra,
  };
}
