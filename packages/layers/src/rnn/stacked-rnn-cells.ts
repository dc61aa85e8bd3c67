import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { CallArgs, Config, ConfigValue, Shape } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';
import { isRecurrentCell, outputSizeOf, type RecurrentCell, stateSizesOf } from './rnn-cell.js';

export interface StackedRNNCellsArgs extends LayerArgs {
  cells: RecurrentCell[];
}

/**
 * Keras's StackedRNNCells: several cells run one after the other at every timestep (the output
 * of one is the input of the next). Its states are the cells' states, flattened in cell order.
 */
export class StackedRNNCells extends Layer {
  static override className = 'StackedRNNCells';
  readonly cells: RecurrentCell[];

  constructor(args: StackedRNNCellsArgs) {
    super(args);
    if (!Array.isArray(args.cells) || args.cells.length === 0) {
      throw new Error(
        `StackedRNNCells expects a non-empty list of cells. Received: cells=${String(args.cells)}`,
      );
    }
    args.cells.forEach((cell, i) => {
      if (!isRecurrentCell(cell)) {
        throw new Error(
          `StackedRNNCells: cell ${i} should be a Layer with a \`stateSize\`. Received: ${String(cell)}`,
        );
      }
    });
    this.cells = [...args.cells];
  }

  get stateSize(): number[] {
    return this.cells.flatMap((c) => stateSizesOf(c));
  }

  get outputSize(): number {
    return outputSizeOf(this.cells[this.cells.length - 1] as RecurrentCell);
  }

  getInitialState(batchSize: number): Tensor[] {
    return this.cells.flatMap((cell) =>
      cell.getInitialState
        ? cell.getInitialState(batchSize)
        : stateSizesOf(cell).map((s) => tf.zeros([batchSize, s])),
    );
  }

  resetDropoutMasks(): void {
    for (const cell of this.cells) cell.resetDropoutMasks?.();
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    for (const cell of this.cells) {
      cell.maybeBuild(shape);
      shape = [shape[0] ?? null, outputSizeOf(cell)];
    }
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor[] {
    const [x, ...states] = Array.isArray(inputs) ? inputs : [inputs];
    if (x === undefined || states.length !== this.stateSize.length) {
      throw new Error(
        `StackedRNNCells "${this.name}" expects [input, ...${this.stateSize.length} states]. ` +
          `Received: ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`,
      );
    }
    let output = x;
    let offset = 0;
    const newStates: Tensor[] = [];
    for (const cell of this.cells) {
      const n = stateSizesOf(cell).length;
      const out = cell.call([output, ...states.slice(offset, offset + n)], {
        training: args.training,
      });
      const list = Array.isArray(out) ? out : [out, out];
      output = list[0] as Tensor;
      newStates.push(...list.slice(1));
      offset += n;
    }
    return [output, ...newStates];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), cells: this.cells.map((c) => serializeKerasObject(c)) };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    opts: DeserializeOptions = {},
  ): T {
    const { cells, ...rest } = config;
    const list = (Array.isArray(cells) ? cells : []).map((c: ConfigValue) =>
      deserializeKerasObject(c, { ...opts, kind: 'layers' }),
    );
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor({ ...configToArgs(rest), cells: list });
  }
}
